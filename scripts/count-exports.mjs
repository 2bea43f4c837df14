import ts from 'typescript';
const [entry] = process.argv.slice(2);
const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, allowImportingTsExtensions: true, noEmit: true });
const checker = program.getTypeChecker();
const sf = program.getSourceFile(entry);
const sym = checker.getSymbolAtLocation(sf);
const exps = checker.getExportsOfModule(sym);
const values = exps.filter((e) => { const s = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e; return (s.flags & ts.SymbolFlags.Value) !== 0; });
console.log(JSON.stringify({ total: exps.length, values: values.length, types: exps.length - values.length }));

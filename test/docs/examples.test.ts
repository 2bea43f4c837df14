/**
 * Every public export carries an `@example` (the house rule, and the issue's
 * "every export with an @example"). The TypeScript compiler resolves what the
 * two entry points really export (`src/index.ts` for `boltzmann`,
 * `src/node/index.ts` for `boltzmann/node`), following `export *` chains, and
 * the test lists each export that has no `@example` tag:
 *
 * - functions (any overload may carry it), classes, and constants;
 * - the public methods of exported classes (static or not; constructors are
 *   covered by the class's own example; abstract declarations are covered by
 *   their concrete overrides);
 * - interfaces and type aliases are exempt: they describe data, and the
 *   functions that take them show them in use. So are `@internal` members,
 *   which typedoc leaves out too.
 *
 * Run alone: `npx vitest run test/docs/examples.test.ts`.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = { boltzmann: 'src/index.ts', 'boltzmann/base': 'src/base.ts', 'boltzmann/node': 'src/node/index.ts' } as const;

/** One public API item without an example. */
interface Missing {
  /** `boltzmann` or `boltzmann/node`. */
  entry: string;
  /** `name` or `Class.method`. */
  name: string;
  /** `src/…:line`. */
  where: string;
}

const hasTag = (node: ts.Node, tag: string): boolean => ts.getJSDocTags(node).some((t) => t.tagName.text === tag);

function location(node: ts.Node): string {
  const sf = node.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${sf.fileName.slice(root.length)}:${line + 1}`;
}

function isPublicMember(m: ts.ClassElement): boolean {
  const mods = ts.canHaveModifiers(m) ? (ts.getModifiers(m) ?? []) : [];
  if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) return false;
  // abstract declarations have no behaviour to show: the concrete overrides carry the examples
  if (mods.some((x) => x.kind === ts.SyntaxKind.AbstractKeyword)) return false;
  if (m.name && ts.isPrivateIdentifier(m.name)) return false;
  return !hasTag(m, 'internal');
}

/** Scans the entry points and returns every export lacking an `@example`. */
function findMissingExamples(): { missing: Missing[]; checked: number } {
  const files = Object.values(ENTRIES).map((f) => root + f);
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    resolveJsonModule: true,
  });
  const checker = program.getTypeChecker();
  const missing: Missing[] = [];
  let checked = 0;
  const seen = new Set<ts.Node>();
  for (const [entry, file] of Object.entries(ENTRIES)) {
    const sf = program.getSourceFile(root + file);
    if (!sf) throw new Error(`examples check: cannot read ${file}`);
    const mod = checker.getSymbolAtLocation(sf);
    if (!mod) continue;
    for (const exp of checker.getExportsOfModule(mod)) {
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const decls = (sym.declarations ?? []).filter((d) => !d.getSourceFile().isDeclarationFile);
      const values = decls.filter((d) => ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d) || ts.isVariableDeclaration(d));
      if (values.length === 0) continue; // interfaces and type aliases
      if (values.some((d) => hasTag(d, 'internal'))) continue;
      const key = values[0] as ts.Node;
      if (seen.has(key)) continue;
      seen.add(key);
      checked++;
      if (!values.some((d) => hasTag(d, 'example'))) missing.push({ entry, name: exp.name, where: location(key) });
      for (const cls of values.filter(ts.isClassDeclaration)) {
        for (const m of cls.members) {
          if (!ts.isMethodDeclaration(m) || !isPublicMember(m) || !m.name) continue;
          const name = `${exp.name}.${m.name.getText()}`;
          // overloads: the implementation or any signature may carry the example
          const siblings = cls.members.filter((o) => ts.isMethodDeclaration(o) && o.name?.getText() === m.name.getText());
          if (siblings[0] !== m) continue;
          checked++;
          if (!siblings.some((o) => hasTag(o, 'example'))) missing.push({ entry, name, where: location(m) });
        }
      }
    }
  }
  return { missing, checked };
}

describe('documentation', () => {
  it('every public export (functions, classes, constants, class methods) has an @example', () => {
    const { missing, checked } = findMissingExamples();
    expect(checked).toBeGreaterThan(50); // the scan really found the API
    const report = missing.map((m) => `  ${m.where}  ${m.name}  (${m.entry})`).join('\n');
    if (missing.length > 0) console.error(`${missing.length} of ${checked} exports lack an @example:\n${report}`);
    expect(missing, `exports without an @example:\n${report}`).toEqual([]);
  });
});

/**
 * Runs the benchmarks: `npm run bench` runs all, `npm run bench -- gemm hopfield` a selection.
 * Each bench prints a table and writes bench/out/<name>.json.
 */
const benches: Record<string, () => Promise<{ main: () => unknown }>> = {
  gemm: () => import('./gemm.js'),
  kernels: () => import('./kernels.js'),
  hopfield: () => import('./hopfield.js'),
  'boltzmann-machine': () => import('./boltzmann-machine.js'),
  ising: () => import('./ising.js'),
  'rbm-sklearn': () => import('./rbm-sklearn.js'),
  'rbm-ais': () => import('./rbm-ais.js'),
  io: () => import('./io.js'),
  'ais-time': () => import('./ais-time.js'),
  'ais-numpy': () => import('./ais-numpy.js'),
  'dbm-ais': () => import('./dbm-ais.js'),
  sequential: () => import('./sequential.js'),
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(benches);
for (const name of names) {
  const load = benches[name];
  if (!load) {
    console.error(`unknown bench '${name}'; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name} ==`);
  await (await load()).main();
}
export {};

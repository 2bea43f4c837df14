// Type-checks the *built* declarations (dist/*.d.ts) as a Node project sees them: strict,
// module/moduleResolution nodenext, no DOM library, skipLibCheck off (tsconfig.node.json here).
// Run after `npm run build`: `npx tsc -p test/smoke/types/tsconfig.node.json` (.ci/run does).
import { type FitResult, fitInWorker, fromArrays, type ModelWorkerLike, Random, RBM, type RBMFitOptions, type ScoreResult } from 'boltzmann';
import { getKernel, quadraticEnergyUnchecked } from 'boltzmann/base';
import { createWasmPool, nodeWorkerPort } from 'boltzmann/node';

const data = fromArrays([
  [1, 0, 1, 0],
  [0, 1, 0, 1],
]);
const options: RBMFitOptions = { epochs: 2, learningRate: 0.1, rng: new Random(1) };
const rbm = new RBM(4, 3, { rng: 0 });
const fitted: FitResult = rbm.fit(data, options);
const score: ScoreResult = rbm.score(data);
const name: string = getKernel().name;
const energy: (...args: never[]) => unknown = quadraticEnergyUnchecked;
const pool: Promise<unknown> = createWasmPool({ threads: 2 });
const port: (w: never) => ModelWorkerLike = nodeWorkerPort;
const fit: typeof fitInWorker = fitInWorker;
export { energy, fit, fitted, name, pool, port, score };

// Type-checks the *built* declarations as a browser bundle's project sees them: strict, DOM
// library, no Node types, moduleResolution bundler, skipLibCheck off (tsconfig.browser.json here).
// Run after `npm run build`: `npx tsc -p test/smoke/types/tsconfig.browser.json` (.ci/run does).
import { fitInWorker, fromArrays, type ModelWorkerLike, RBM, type ScoreResult } from 'boltzmann';
import { getKernel } from 'boltzmann/base';

const rbm = new RBM(4, 3, { rng: 0 });
rbm.fit(fromArrays([[1, 0, 1, 0]]), { epochs: 1 });
const score: ScoreResult = rbm.score(fromArrays([[1, 0, 1, 0]]));
const name: string = getKernel().name;
// a page's Worker is what fitInWorker takes, as it is
const asWorker = (w: Worker): ModelWorkerLike => w;
const fit: typeof fitInWorker = fitInWorker;
export { asWorker, fit, name, score };

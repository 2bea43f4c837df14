/** Test DBMs with random parameters. */
import { DBM } from '../../src/models/dbm.js';
import { Random } from '../../src/random/random.js';

/** A DBM with N(0, scale²) weights and biases (the biases from a stream seeded `seed + 1000`). */
export function randomDBM(sizes: number[], seed: number, scale: number): DBM {
  const dbm = new DBM(sizes, { rng: seed, weightStd: scale });
  const rng = new Random(seed + 1000);
  for (const b of dbm.biases) rng.fillNormal(b, 0, scale);
  return dbm;
}

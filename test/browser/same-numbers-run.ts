/**
 * Seeded runs whose results must be bit-identical in Node and in Chromium.
 * Returns a SHA-256 per run, so a mismatch names the part that differs:
 * - `kernel`: generator draws (uniform, normal) through a GEMM;
 * - `gibbs`: a Boltzmann-machine-style Gibbs chain (sigmoid of local fields);
 * - `rbm`: persistent-CD training of an RBM (initialised from the data's means, momentum,
 *   weight decay), its free energies and pseudo-likelihood — the "one seeded training run".
 * Used by test/browser/same-numbers.test.ts on both sides.
 */
import { QuadraticEnergy, QuadraticGibbs, Random, gemm, matrix, symmetrize, zeroDiagonal, zeros } from '../../src/index.js';
import { pseudoLikelihood } from '../../src/models/rbm-pseudo-likelihood.js';
import { RBM } from '../../src/models/rbm.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';

async function sha256(parts: Float64Array[]): Promise<string> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float64Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const digest = await globalThis.crypto.subtle.digest('SHA-256', all.buffer);
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Runs the computations and returns their hex SHA-256 hashes. */
export async function sameNumbersRun(): Promise<Record<'kernel' | 'gibbs' | 'rbm', string>> {
  const rng = new Random(20261126);
  const a = matrix(37, 53, rng.fillNormal(new Float64Array(37 * 53)));
  const b = matrix(53, 29, rng.fillUniform(new Float64Array(53 * 29)));
  const c = gemm(zeros(37, 29), a, b);

  const w = matrix(12, 12, rng.fillNormal(new Float64Array(144), 0, 0.7));
  zeroDiagonal(symmetrize(w));
  const g = new QuadraticGibbs(new QuadraticEnergy(w, rng.fillNormal(new Float64Array(12), 0, 0.3), 'binary'), { rng: rng.split() });
  const trace = new Float64Array(200 * 12);
  for (let s = 0; s < 200; s++) {
    g.step();
    trace.set(g.state, s * 12);
  }

  // 60 noisy binary "digits" of 6×6 pixels from three prototypes.
  const protoRng = new Random(7);
  const protos = [0, 1, 2].map(() => Float64Array.from({ length: 36 }, () => (protoRng.float64() < 0.4 ? 1 : 0)));
  const data = matrix(60, 36);
  for (let i = 0; i < 60; i++) {
    const p = protos[i % 3] as Float64Array;
    for (let j = 0; j < 36; j++) data.data[i * 36 + j] = protoRng.float64() < 0.1 ? 1 - (p[j] as number) : (p[j] as number);
  }
  const rbm = new RBM(36, 16, { rng: 11, data });
  const cd = new RBMTrainer(rbm, { k: 1, method: 'pcd', nChains: 10, learningRate: 0.05, momentum: 0.5, weightDecay: 1e-4, batchSize: 10, rng: 12 });
  cd.fit(data, { epochs: 5 });
  const fe = rbm.freeEnergy(data);
  const pl = pseudoLikelihood(rbm, data, { rng: 13 });
  const rbmParts = [rbm.weights.data, rbm.visibleBias, rbm.hiddenBias, fe, pl];

  return {
    kernel: await sha256([c.data]),
    gibbs: await sha256([trace, Float64Array.of(g.energy())]),
    rbm: await sha256(rbmParts),
  };
}

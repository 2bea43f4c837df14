/**
 * Numerical safety (issue 10): training with absurd learning rates or extreme data either stays
 * finite or stops with a NumericalError that leaves the model exactly as before the failing step;
 * the stable functions and AIS log-weights stay finite at ±1e6.
 */
import { describe, expect, it } from 'vitest';
import { aisSchedule, rbmAIS } from '../../src/models/rbm-ais.js';
import { readTensor } from '../../src/document.js';
import { NumericalError } from '../../src/errors.js';
import { matrix, type Matrix, rowsView } from '../../src/linalg/matrix.js';
import { logAddExp, logMeanExp, logSigmoid, logSumExp, sigmoid, softplus } from '../../src/linalg/stable.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { GaussianRBM } from '../../src/models/gaussian-rbm.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { RBM } from '../../src/models/rbm.js';
import { Random } from '../../src/random/random.js';
import { BoltzmannMachineTrainer } from '../../src/train/boltzmann-machine-trainer.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';
import { EBMTrainer } from '../../src/train/ebm-trainer.js';
import { trainHopfieldContrastive } from '../../src/train/train-hopfield-contrastive.js';

function binary(rows: number, cols: number, seed: number, p = 0.3): Matrix {
  const r = new Random(seed);
  return matrix(rows, cols, Float64Array.from({ length: rows * cols }, () => (r.float64() < p ? 1 : 0)));
}

function allFinite(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}

/**
 * Runs `steps` training steps; each either keeps every parameter finite or throws a
 * NumericalError with the saved document unchanged. Returns how many steps threw.
 */
function finiteOrRolledBack(save: () => string, params: () => ArrayLike<number>[], step: () => void, steps: number): number {
  let threw = 0;
  for (let s = 0; s < steps; s++) {
    const before = save();
    try {
      step();
    } catch (e) {
      expect(e).toBeInstanceOf(NumericalError);
      expect(save()).toBe(before);
      threw++;
      continue;
    }
    for (const p of params()) expect(allFinite(p)).toBe(true);
  }
  return threw;
}

describe('numerical safety', () => {
  it('stable functions stay finite at ±1e6 (and ±1e300)', () => {
    for (const x of [1e6, -1e6, 1e300, -1e300]) {
      for (const v of [sigmoid(x), softplus(x), logSigmoid(x), logSumExp([x, x, 0]), logMeanExp([x, -x]), logAddExp(x, -x)]) {
        expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('AIS log-weights stay finite on an RBM with weights of ±1e6', () => {
    const rbm = new RBM(6, 4, { rng: 1 });
    const r = new Random(2);
    for (let i = 0; i < rbm.weights.data.length; i++) rbm.weights.data[i] = r.float64() < 0.5 ? -1e6 : 1e6;
    rbm.visibleBias.fill(1e6);
    rbm.hiddenBias.fill(-1e6);
    const res = rbmAIS(rbm, { betas: aisSchedule(20, 20, 20), runs: 8, rng: 3 });
    expect(allFinite(res.logWeights)).toBe(true);
    expect(Number.isFinite(res.logZ)).toBe(true);
  });

  for (const lr of [1e3, 1e12, 1e300]) {
    it(`RBM CD-1 and PCD with learning rate ${lr}: finite, or NumericalError with the model unchanged`, () => {
      for (const persistent of [false, true]) {
        const data = binary(40, 12, 4);
        const rbm = new RBM(12, 6, { rng: 5, data });
        const cd = new RBMTrainer(rbm, { learningRate: lr, method: persistent ? 'pcd' : 'cd', momentum: 0.9, batchSize: 10, rng: 6 });
        const save = () => JSON.stringify(cd.toDocument());
        let b = 0;
        finiteOrRolledBack(save, () => [rbm.weights.data, rbm.visibleBias, rbm.hiddenBias], () => cd.step(rowsView(data, (b++ % 4) * 10, (b % 4 || 4) * 10)), 20);
      }
    });
  }

  it('Gaussian RBM on extreme real data (±1e150) with learned σ: finite, or NumericalError with the model unchanged', () => {
    const r = new Random(7);
    const data = matrix(20, 5, Float64Array.from({ length: 100 }, () => (r.float64() - 0.5) * 2e150));
    const g = new GaussianRBM(5, 4, { rng: 8, learnSigma: true });
    const cd = new RBMTrainer(g, { learningRate: 0.1, rng: 9 });
    const save = () => JSON.stringify(cd.toDocument());
    finiteOrRolledBack(save, () => g.parameterArrays(), () => cd.step(rowsView(data, 0, 10)), 10);
  });

  it('Boltzmann machine learning with learning rate 1e300: finite, or NumericalError with the model and trainer unchanged', () => {
    const bm = new BoltzmannMachine(6, 2, { rng: 10 });
    const t = new BoltzmannMachineTrainer(bm, { learningRate: 1e300, freeSamples: 20, clampedSamples: 2, persistent: true });
    const data = binary(8, 6, 11);
    const save = () => JSON.stringify(t.toDocument());
    finiteOrRolledBack(save, () => [readTensor(bm.toDocument(), 'weights').data], () => t.step(data), 6);
  });

  it('Hopfield contrastive training with learning rate 1e308: weights stay finite or the call throws with the weights unchanged', () => {
    const r = new Random(12);
    const patterns = matrix(4, 20, Float64Array.from({ length: 80 }, () => (r.float64() < 0.5 ? -1 : 1)));
    const net = new HopfieldNetwork(20);
    net.fit(patterns);
    const save = () => JSON.stringify(net.toDocument());
    finiteOrRolledBack(save, () => [net.weights.data], () => trainHopfieldContrastive(net, patterns, { learningRate: 1e308, epochs: 3, rng: 13 }), 3);
  });

  it('energy-network contrastive training with learning rate 1e200 on data at ±1e100: finite, or NumericalError with everything unchanged', () => {
    const net = new EnergyNetwork(2, { hidden: [8], rng: 14 });
    const trainer = new EBMTrainer(net, { learningRate: 1e200, optimizer: 'sgd', rng: 15, langevinSteps: 3 });
    const r = new Random(16);
    const batch = matrix(8, 2, Float64Array.from({ length: 16 }, () => (r.float64() - 0.5) * 2e100));
    const save = () => JSON.stringify(net.toDocument()) + JSON.stringify(trainer.getState());
    finiteOrRolledBack(save, () => [net.getParameters()], () => trainer.step(batch), 5);
  });
});

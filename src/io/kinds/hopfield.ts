/**
 * The `hopfield` kind: Hopfield networks of ±1 spins storing the data rows
 * (0/1 bits mapped to y = 2x − 1) with a one-shot rule; sampled at a
 * temperature, evaluated by recall quality, and able to restore a cue.
 * @module
 */
import type { Matrix } from '../../linalg/matrix.js';
import { checkHopfieldSample, HopfieldNetwork } from '../../models/hopfield-network.js';
import { Random } from '../../random/random.js';
import { mapWork, type SteppedWork } from '../../models/fit-async.js';
import { QuadraticGibbs } from '../../samplers/gibbs.js';
import type { EvaluateReport, ModelKind } from '../registry.js';
import { fmt, num, spinsFromBits } from './common.js';

/** Bits 0/1 of a row of spins. */
function bits(y: ArrayLike<number>): Float64Array {
  return Float64Array.from(y, (s) => (s > 0 ? 1 : 0));
}

/** How many rows of `data` (bits) are fixed points of the network. */
function fixedPoints(net: HopfieldNetwork, data: Matrix): number {
  let stable = 0;
  for (let p = 0; p < data.rows; p++) if (net.isFixedPoint(spinsFromBits(data.data.subarray(p * data.cols, (p + 1) * data.cols)))) stable++;
  return stable;
}

/**
 * `net.sample(n, { temperature, sweeps, rng })` as stepped work, one unit per
 * sweep of one row's chain (rows one after the other, as `sample` runs them),
 * with the same states bit for bit; the result is in bits 0/1.
 *
 * @param net - the network
 * @param n - rows
 * @param sweeps - sweeps per row (≥ 1)
 * @param temperature - temperature of the stochastic network
 * @param rng - the generator of the draw
 * @returns the stepped draw of `[n, N]` bits
 * @example
 * ```ts
 * import { HopfieldNetwork, Random } from 'boltzmann';
 * import { hopfieldSampleWork } from 'boltzmann/base';
 * const w = hopfieldSampleWork(new HopfieldNetwork(8, { rng: 1 }), 2, 10, 1, new Random(5));
 * w.advance(w.total);
 * w.result().rows; // 2
 * ```
 * @category Data & files
 */
export function hopfieldSampleWork(net: HopfieldNetwork, n: number, sweeps: number, temperature: number, rng: Random): SteppedWork<Matrix> {
  checkHopfieldSample('HopfieldNetwork.sample', net, n, { temperature, sweeps, rng }); // the checks of sample (n, sweeps, temperature), drawing nothing
  const N = net.dimension;
  const out = new Float64Array(n * N);
  const start = new Float64Array(N);
  const total = n * sweeps;
  let g: QuadraticGibbs | undefined;
  let done = 0;
  return {
    total,
    get done() {
      return done;
    },
    advance(units: number): void {
      const end = Math.min(total, done + Math.max(0, units));
      while (done < end) {
        const r = Math.floor(done / sweeps);
        if (done % sweeps === 0) {
          for (let i = 0; i < N; i++) start[i] = rng.float64() < 0.5 ? -1 : 1;
          if (g === undefined) g = new QuadraticGibbs(net.quadratic, { temperature, scan: 'sequential', rng, initial: start });
          else g.setState(start);
        }
        (g as QuadraticGibbs).step();
        done++;
        if (done % sweeps === 0) out.set((g as QuadraticGibbs).state, r * N);
      }
    },
    result: () => ({ rows: n, cols: N, data: bits(out) }),
  };
}

/**
 * The `eval` of a Hopfield network as stepped work, one unit per data row:
 * each row is cued with `noise` of its bits flipped and evolved; then the
 * fraction of rows that are fixed points.
 */
function hopfieldEvalWork(net: HopfieldNetwork, data: Matrix, noise: number, seed: number): SteppedWork<EvaluateReport> {
  const n = net.dimension, rows = data.rows;
  const rng = new Random(seed);
  let overlap = 0, exact = 0, done = 0;
  const work: SteppedWork<null> = {
    label: 'recall',
    unit: 'rows',
    total: rows,
    get done() {
      return done;
    },
    advance(units: number): void {
      const end = Math.min(rows, done + Math.max(0, units));
      for (; done < end; done++) {
        const y = spinsFromBits(data.data.subarray(done * n, (done + 1) * n));
        const cue = y.slice();
        for (let i = 0; i < n; i++) if (rng.float64() < noise) cue[i] = -(cue[i] as number);
        const r = net.evolve(cue, { maxSweeps: 100 });
        let o = 0;
        for (let i = 0; i < n; i++) o += (r.state[i] as number) * (y[i] as number);
        overlap += o / n / rows;
        if (o === n) exact++;
      }
    },
    result: () => null,
  };
  return mapWork(work, () => {
    const stable = fixedPoints(net, data);
    return {
      fields: { method: 'hopfield', rows, fixedPoints: stable, meanOverlap: overlap, exactRecalls: exact, noise },
      lines: [`fixed points: ${stable}/${rows}`, `recall from ${noise * 100}% noise: mean overlap ${fmt(overlap, 4)}, exact ${exact}/${rows}`],
    };
  });
}

/** The `hopfield` kind.
 * @category Data & files
 */
export const HOPFIELD_KIND: ModelKind<HopfieldNetwork> = {
  kind: 'hopfield',
  title: 'Hopfield network of ±1 spins (data rows are binarized 0/1 and mapped to y = 2x − 1)',
  options: {
    train: [{ name: 'rule', type: 'choice', choices: ['hebbian', 'storkey', 'pseudo-inverse'], default: 'hebbian', help: 'storage rule' }],
    sample: [{ name: 'temperature', type: 'number', default: 1, min: Number.MIN_VALUE, max: 1e300, help: 'temperature of the stochastic network' }],
    eval: [{ name: 'noise', type: 'number', default: 0.1, min: 0, max: 1, help: 'fraction of bits flipped in each cue' }],
    recall: [
      { name: 'order', type: 'choice', choices: ['sequential', 'random'], default: 'sequential', help: 'update order of the asynchronous dynamics' },
      { name: 'max-sweeps', type: 'int', default: 100, help: 'sweep limit' },
    ],
  },
  notes: {
    train: 'the patterns are the first --limit rows (default limit 10); pseudo-inverse suits correlated patterns',
    sample: '--steps counts sweeps of single-spin Gibbs updates',
    eval: 'the fraction of data rows that are fixed points, and recall overlap from noisy cues',
    recall:
      'correlated patterns (digits, pictures) need the pseudo-inverse rule (train --rule pseudo-inverse):\n' +
      'the 10 digits of `--data digits --limit 10` come back from 20% noise 10 of 10 times, against 0 (hebbian)\n' +
      'and 3 (storkey); to complete half-hidden pictures (--mask) use a dense-associative-memory',
  },
  is: (m): m is HopfieldNetwork => m instanceof HopfieldNetwork,
  fromDocument: (doc) => HopfieldNetwork.fromDocument(doc),
  nVisible: (m) => m.dimension,
  create(o, data, rng) {
    const rule = o.rule as 'hebbian' | 'storkey' | 'pseudo-inverse';
    const net = new HopfieldNetwork(data.cols, { rng });
    net.fit(data, { rule, binary: true });
    const summary = `stored ${data.rows} patterns of ${net.dimension} units (${rule}); ${fixedPoints(net, data)}/${data.rows} are fixed points`;
    return { model: net, summary };
  },
  sample: (net, n, { steps, rng, options }) => hopfieldSampleWork(net, n, steps, num(options.temperature) ?? 1, rng),
  evaluate: (net, data, { seed, options }) => hopfieldEvalWork(net, data, num(options.noise) ?? 0.1, seed),
  recall(net, cue, { rng, options }) {
    const order = options.order as 'sequential' | 'random';
    const r = net.evolve(spinsFromBits(cue), { order, rng, maxSweeps: num(options['max-sweeps']) });
    return { state: bits(r.state), converged: r.converged, sweeps: r.sweeps, flips: r.flips };
  },
};

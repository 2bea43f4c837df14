/**
 * The `hopfield` kind: Hopfield networks of ±1 spins storing the data rows
 * (0/1 bits mapped to y = 2x − 1) with a one-shot rule; sampled at a
 * temperature, evaluated by recall quality, and able to restore a cue.
 * @module
 */
import type { Matrix } from '../../linalg/matrix.js';
import { HopfieldNetwork } from '../../models/hopfield-network.js';
import { Random } from '../../random/random.js';
import type { ModelKind } from '../registry.js';
import { fmt, num } from './common.js';

/** Spins ±1 of a row of bits. */
function spins(bits: ArrayLike<number>): Float64Array {
  return Float64Array.from(bits, (x) => 2 * x - 1);
}

/** Bits 0/1 of a row of spins. */
function bits(y: ArrayLike<number>): Float64Array {
  return Float64Array.from(y, (s) => (s > 0 ? 1 : 0));
}

/** How many rows of `data` (bits) are fixed points of the network. */
function fixedPoints(net: HopfieldNetwork, data: Matrix): number {
  let stable = 0;
  for (let p = 0; p < data.rows; p++) if (net.isFixedPoint(spins(data.data.subarray(p * data.cols, (p + 1) * data.cols)))) stable++;
  return stable;
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
  sample(net, n, { steps, rng, options }) {
    const s = net.sample(n, { temperature: num(options.temperature), sweeps: steps, rng });
    return { rows: s.rows, cols: s.cols, data: bits(s.data) };
  },
  evaluate(net, data, { seed, options }) {
    const n = net.dimension, rows = data.rows;
    const noise = num(options.noise) ?? 0.1;
    const rng = new Random(seed);
    let overlap = 0, exact = 0;
    for (let p = 0; p < rows; p++) {
      const y = spins(data.data.subarray(p * n, (p + 1) * n));
      const cue = y.slice();
      for (let i = 0; i < n; i++) if (rng.float64() < noise) cue[i] = -(cue[i] as number);
      const r = net.evolve(cue, { maxSweeps: 100 });
      let o = 0;
      for (let i = 0; i < n; i++) o += (r.state[i] as number) * (y[i] as number);
      overlap += o / n / rows;
      if (o === n) exact++;
    }
    const stable = fixedPoints(net, data);
    return {
      fields: { method: 'hopfield', rows, fixedPoints: stable, meanOverlap: overlap, exactRecalls: exact, noise },
      lines: [`fixed points: ${stable}/${rows}`, `recall from ${noise * 100}% noise: mean overlap ${fmt(overlap, 4)}, exact ${exact}/${rows}`],
    };
  },
  recall(net, cue, { rng, options }) {
    const order = options.order as 'sequential' | 'random';
    const r = net.evolve(spins(cue), { order, rng, maxSweeps: num(options['max-sweeps']) });
    return { state: bits(r.state), converged: r.converged, sweeps: r.sweeps, flips: r.flips };
  },
};

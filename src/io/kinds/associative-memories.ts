/**
 * Load-only kinds of the associative memories beyond the binary Hopfield
 * network: the dense associative memory (trained from the command line by
 * storing the data rows, and able to restore a cue), and the graded-response
 * (tanh) network and the modern continuous Hopfield network (load-only: built
 * from the library with `fit` on the model).
 * @module
 */
import { DenseAssociativeMemory, type InteractionFunction } from '../../models/dense-associative-memory.js';
import { GradedHopfieldNetwork } from '../../models/graded-hopfield-network.js';
import { ModernHopfieldNetwork } from '../../models/modern-hopfield-network.js';
import { KindOptionError } from '../kind-option-error.js';
import type { ModelKind } from '../registry.js';
import { loadOnlyKind, num, scoreReport, spinsFromBits } from './common.js';

/** The `graded-hopfield` kind.
 * @category Data & files
 */
export const GRADED_HOPFIELD_KIND: ModelKind<GradedHopfieldNetwork> = loadOnlyKind(
  'graded-hopfield',
  'graded-response Hopfield network of tanh units (Hopfield 1984)',
  GradedHopfieldNetwork,
  (m) => m.dimension,
);

/** The `dense-associative-memory` kind: stores the data rows (0/1 bits mapped to ±1) and restores cues.
 * @category Data & files
 */
export const DENSE_ASSOCIATIVE_MEMORY_KIND: ModelKind<DenseAssociativeMemory> = {
  kind: 'dense-associative-memory',
  title: 'dense associative memory of ±1 units, E = −Σ F(ξ·σ) (Krotov & Hopfield 2016)',
  options: {
    train: [
      { name: 'interaction', type: 'choice', choices: ['polynomial', 'rectified-polynomial', 'exponential'], default: 'exponential', help: 'interaction function F' },
      { name: 'degree', type: 'int', default: 3, min: 1, help: 'degree n of a (rectified) polynomial F(x) = xⁿ' },
    ],
    recall: [
      { name: 'order', type: 'choice', choices: ['sequential', 'random'], default: 'sequential', help: 'update order of the asynchronous dynamics' },
      { name: 'max-sweeps', type: 'int', default: 100, help: 'sweep limit' },
    ],
  },
  notes: {
    train: 'the patterns are the first --limit rows (default limit 10); the exponential F separates\ncorrelated patterns (digits) far better than a quadratic energy',
    recall: 'suits correlated patterns and half-hidden pictures (--mask): with the exponential F the\ndynamics pick the stored pattern closest to the cue',
  },
  is: (m): m is DenseAssociativeMemory => m instanceof DenseAssociativeMemory,
  fromDocument: (doc) => DenseAssociativeMemory.fromDocument(doc),
  nVisible: (m) => m.dimension,
  create(o, data, rng) {
    const interaction = o.interaction as InteractionFunction;
    if ((num(o.degree) ?? 3) > 64) throw new KindOptionError(`train dense-associative-memory: --degree must be at most 64 (got ${o.degree})`);
    const mem = new DenseAssociativeMemory(data.cols, { rng, interaction, degree: num(o.degree) });
    mem.fit(data, { binary: true });
    let stable = 0;
    for (let p = 0; p < data.rows; p++) if (mem.isFixedPoint(spinsFromBits(data.data.subarray(p * data.cols, (p + 1) * data.cols)))) stable++;
    const f = interaction === 'exponential' ? 'exponential F' : `${interaction} F of degree ${mem.degree}`;
    return { model: mem, summary: `stored ${data.rows} patterns of ${data.cols} units (${f}); ${stable}/${data.rows} are fixed points` };
  },
  recall(mem, cue, { rng, options }) {
    const order = options.order as 'sequential' | 'random';
    const r = mem.evolve(spinsFromBits(cue), { order, rng, maxSweeps: num(options['max-sweeps']) });
    return { state: Float64Array.from(r.state, (s) => (s > 0 ? 1 : 0)), converged: r.converged, sweeps: r.sweeps, flips: r.flips };
  },
};

/** The `modern-hopfield` kind.
 * @category Data & files
 */
export const MODERN_HOPFIELD_KIND: ModelKind<ModernHopfieldNetwork> = loadOnlyKind(
  'modern-hopfield',
  'modern continuous Hopfield network, ξ ← X softmax(β Xᵀξ) (Ramsauer et al. 2020)',
  ModernHopfieldNetwork,
  (m) => m.dimension,
  { evaluate: (m, data) => scoreReport(m.score(data), data.rows) },
);

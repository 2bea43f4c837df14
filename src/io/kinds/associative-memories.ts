/**
 * Load-only kinds of the associative memories beyond the binary Hopfield
 * network: the graded-response (tanh) network, the dense associative memory
 * and the modern continuous Hopfield network (each is built from the
 * library: `fit` on the model).
 * @module
 */
import { DenseAssociativeMemory } from '../../models/dense-associative-memory.js';
import { GradedHopfieldNetwork } from '../../models/graded-hopfield-network.js';
import { ModernHopfieldNetwork } from '../../models/modern-hopfield-network.js';
import type { ModelKind } from '../registry.js';
import { loadOnlyKind } from './common.js';

/** The `graded-hopfield` kind.
 * @category Data & files
 */
export const GRADED_HOPFIELD_KIND: ModelKind<GradedHopfieldNetwork> = loadOnlyKind(
  'graded-hopfield',
  'graded-response Hopfield network of tanh units (Hopfield 1984)',
  GradedHopfieldNetwork,
  (m) => m.dimension,
);

/** The `dense-associative-memory` kind.
 * @category Data & files
 */
export const DENSE_ASSOCIATIVE_MEMORY_KIND: ModelKind<DenseAssociativeMemory> = loadOnlyKind(
  'dense-associative-memory',
  'dense associative memory of ±1 units, E = −Σ F(ξ·σ) (Krotov & Hopfield 2016)',
  DenseAssociativeMemory,
  (m) => m.dimension,
);

/** The `modern-hopfield` kind.
 * @category Data & files
 */
export const MODERN_HOPFIELD_KIND: ModelKind<ModernHopfieldNetwork> = loadOnlyKind(
  'modern-hopfield',
  'modern continuous Hopfield network, ξ ← X softmax(β Xᵀξ) (Ramsauer et al. 2020)',
  ModernHopfieldNetwork,
  (m) => m.dimension,
);

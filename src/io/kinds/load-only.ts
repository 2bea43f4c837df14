/**
 * Kinds the command line loads, inspects and evaluates but does not train:
 * Gaussian RBMs, expanded Hopfield networks, Ising models, energy networks
 * and Gaussian energies (each is trained from the library: `fit` on the model).
 * @module
 */
import { EnergyNetwork } from '../../models/energy-network.js';
import { ExpandedHopfieldNetwork } from '../../models/expanded-hopfield-network.js';
import { GaussianEnergy } from '../../models/gaussian-energy.js';
import { GaussianRBM } from '../../models/gaussian-rbm.js';
import { IsingModel } from '../../models/ising.js';
import type { ModelKind } from '../registry.js';
import { loadOnlyKind, scoreReport, spinsFromBits } from './common.js';

/** The `gaussian-rbm` kind.
 * @category Data & files
 */
export const GAUSSIAN_RBM_KIND: ModelKind<GaussianRBM> = loadOnlyKind(
  'gaussian-rbm',
  'RBM with Gaussian visible units (real-valued data)',
  GaussianRBM,
  (m) => m.nVisible,
);

/** The `hopfield-expanded` kind.
 * @category Data & files
 */
export const EXPANDED_HOPFIELD_KIND: ModelKind<ExpandedHopfieldNetwork> = loadOnlyKind(
  'hopfield-expanded',
  'Hopfield network with hidden units (an expanded pattern store)',
  ExpandedHopfieldNetwork,
  (m) => m.nVisible,
  { evaluate: (m, data) => scoreReport(m.score(data), data.rows) },
);

/** The `ising` kind.
 * @category Data & files
 */
export const ISING_KIND: ModelKind<IsingModel> = loadOnlyKind('ising', 'two-dimensional Ising model on an L×L torus', IsingModel, (m) => m.dimension, {
  // the 0/1 rows as spins; the exact log-likelihood where log Z is known exactly, else the
  // pseudo-log-likelihood (AIS is the library's, with its own schedule and time)
  evaluate: (m, data) => {
    const x = { rows: data.rows, cols: data.cols, data: spinsFromBits(data.data) };
    return scoreReport(m.score(x, { method: m.hasExactLogPartition() ? 'exact' : 'pseudo' }), data.rows);
  },
});

/** The `energy-network` kind.
 * @category Data & files
 */
export const ENERGY_NETWORK_KIND: ModelKind<EnergyNetwork> = loadOnlyKind(
  'energy-network',
  'neural energy-based model on real vectors (Langevin sampling)',
  EnergyNetwork,
  (m) => m.dimension,
);

/** The `gaussian-energy` kind.
 * @category Data & files
 */
export const GAUSSIAN_ENERGY_KIND: ModelKind<GaussianEnergy> = loadOnlyKind(
  'gaussian-energy',
  'Gaussian energy E(x) = ½(x − μ)ᵀΛ(x − μ) (score matching, NCE)',
  GaussianEnergy,
  (m) => m.dimension,
  { evaluate: (m, data) => scoreReport(m.score(data), data.rows) },
);

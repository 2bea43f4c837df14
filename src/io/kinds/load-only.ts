/**
 * Kinds the command line loads, inspects and evaluates but does not train:
 * Gaussian RBMs, expanded Hopfield networks, Ising models and energy
 * networks (each is trained from the library: `fit` on the model).
 * @module
 */
import { EnergyNetwork } from '../../models/energy-network.js';
import { ExpandedHopfieldNetwork } from '../../models/expanded-hopfield-network.js';
import { GaussianRBM } from '../../models/gaussian-rbm.js';
import { IsingModel } from '../../models/ising.js';
import type { ModelKind } from '../registry.js';
import { scoreReport } from './common.js';

/** The `gaussian-rbm` kind.
 * @category Data & files
 */
export const GAUSSIAN_RBM_KIND: ModelKind<GaussianRBM> = {
  kind: 'gaussian-rbm',
  title: 'RBM with Gaussian visible units (real-valued data)',
  is: (m): m is GaussianRBM => m instanceof GaussianRBM,
  fromDocument: (doc) => GaussianRBM.fromDocument(doc),
  nVisible: (m) => m.nVisible,
};

/** The `hopfield-expanded` kind.
 * @category Data & files
 */
export const EXPANDED_HOPFIELD_KIND: ModelKind<ExpandedHopfieldNetwork> = {
  kind: 'hopfield-expanded',
  title: 'Hopfield network with hidden units (an expanded pattern store)',
  is: (m): m is ExpandedHopfieldNetwork => m instanceof ExpandedHopfieldNetwork,
  fromDocument: (doc) => ExpandedHopfieldNetwork.fromDocument(doc),
  nVisible: (m) => m.nVisible,
  evaluate: (m, data) => scoreReport(m.score(data), data.rows),
};

/** The `ising` kind.
 * @category Data & files
 */
export const ISING_KIND: ModelKind<IsingModel> = {
  kind: 'ising',
  title: 'two-dimensional Ising model on an L×L torus',
  is: (m): m is IsingModel => m instanceof IsingModel,
  fromDocument: (doc) => IsingModel.fromDocument(doc),
  nVisible: (m) => m.dimension,
};

/** The `energy-network` kind.
 * @category Data & files
 */
export const ENERGY_NETWORK_KIND: ModelKind<EnergyNetwork> = {
  kind: 'energy-network',
  title: 'neural energy-based model on real vectors (Langevin sampling)',
  is: (m): m is EnergyNetwork => m instanceof EnergyNetwork,
  fromDocument: (doc) => EnergyNetwork.fromDocument(doc),
  nVisible: (m) => m.dimension,
};

/**
 * Thermodynamics of a small Boltzmann machine — a course exercise in one file.
 *
 * For a random 12-unit machine (binary units, E(s) = −½ sᵀWs − bᵀs) every
 * quantity of the lecture's "Helmholtz free energy" slides is computed exactly
 * by enumerating all 2¹² states at each temperature T:
 *
 *   U = Σ P(s) E(s)             internal energy
 *   H = −Σ P(s) log P(s)        entropy (nats)
 *   F = U − T·H                 free energy
 *   −T log Z                    the same number, from the partition function
 *   C = Var(E) / T²             heat capacity
 *
 * and, for comparison, U estimated from Gibbs samples (independent chains).
 * Things to notice: F = −T log Z to rounding at every T; as T → 0, U → the
 * ground-state energy and H → log(degeneracy) = 0; as T → ∞, H → n log 2 and
 * U → the mean energy over all states; F is minimised by the Boltzmann
 * distribution (the "perturbed" column: another distribution has higher
 * U − T·H). At the lowest temperatures the Gibbs estimate misses the exact U by
 * many standard errors: 200 sweeps are not enough to leave local minima — the
 * lecture's mixing-time problem, and the reason for annealing.
 *
 * Run: `npm run example:thermodynamics` (`-- --quick` or THERMO_QUICK=1 for fewer temperatures and chains).
 */
import { BoltzmannMachine, exactDistribution, exactGroundState, exactThermodynamics, Random } from '../src/index.js';

const quick = process.argv.includes('--quick') || process.env.THERMO_QUICK === '1';
const n = quick ? 8 : 12;
const bm = new BoltzmannMachine(n, 0, { initScale: 1, rng: 42 });
const r = new Random(43);
for (let i = 0; i < n; i++) bm.bias[i] = r.normal();
const ground = exactGroundState(bm.energyFunction);
console.log(`random ${n}-unit Boltzmann machine, w_ij, b_i ~ N(0, 1); ground-state energy ${ground.energy.toFixed(4)} (degeneracy ${ground.degeneracy})`);
console.log(`high-T limit of the entropy: n log 2 = ${(n * Math.log(2)).toFixed(4)}\n`);

const temps = quick ? [0.25, 1, 4] : [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];
const nChains = quick ? 500 : 4000;
console.log(
  '     T          U          H          F = U−TH     −T log Z     |F+T logZ|   C = Var(E)/T²   U (Gibbs ± 2se)     F(perturbed P)',
);
for (const t of temps) {
  const th = exactThermodynamics(bm.energyFunction, { temperature: t });
  // Gibbs estimate of U from independent chains (one sample each, burn-in 200 sweeps)
  const s = bm.sample(nChains, { steps: 200, temperature: t });
  let sum = 0;
  let sum2 = 0;
  for (let c = 0; c < nChains; c++) {
    const e = bm.energy(s.data.subarray(c * n, (c + 1) * n));
    sum += e;
    sum2 += e * e;
  }
  const mean = sum / nChains;
  const se = Math.sqrt((sum2 / nChains - mean * mean) / nChains);
  // U − T·H for a perturbed distribution q ∝ P^0.8: always above F (Gibbs inequality)
  const p = exactDistribution(bm.energyFunction, { temperature: t });
  const q = p.map((x) => x ** 0.8);
  const zq = q.reduce((a, x) => a + x, 0);
  const stateE = new Float64Array(p.length);
  const x = new Float64Array(n);
  let uq = 0;
  let hq = 0;
  for (let k = 0; k < p.length; k++) {
    for (let i = 0; i < n; i++) x[i] = (k >>> i) & 1;
    stateE[k] = bm.energy(x);
    const qk = q[k] / zq;
    uq += qk * stateE[k];
    if (qk > 0) hq -= qk * Math.log(qk);
  }
  const fq = uq - t * hq;
  console.log(
    [
      t.toFixed(2).padStart(6),
      th.internalEnergy.toFixed(4).padStart(10),
      th.entropy.toFixed(4).padStart(10),
      th.freeEnergy.toFixed(4).padStart(12),
      th.freeEnergyFromZ.toFixed(4).padStart(12),
      Math.abs(th.freeEnergy - th.freeEnergyFromZ).toExponential(1).padStart(11),
      th.heatCapacity.toFixed(4).padStart(13),
      `${mean.toFixed(3)} ± ${(2 * se).toFixed(3)}`.padStart(19),
      fq.toFixed(4).padStart(16),
      Math.abs(mean - th.internalEnergy) > 3 * se ? '  ← Gibbs not mixed: chains stuck in local minima' : '',
    ].join(' '),
  );
}

/**
 * The lecture walk-through (issue #20): every worked example of the lecture
 * "Energy-Based Models" (../shared/seeds/lecture-energy-based-models.md), in
 * its order, with the numbers printed and the pictures written to
 * examples/out/lecture/:
 *
 *  1. Hopfield dynamics: a 4-neuron net evolving flip by flip (trace table),
 *     every flip lowering E by 2|h_i|.
 *  2. Hebbian storage in 4 neurons: one pattern (E = −N(N−1)/2 with w = yyᵀ),
 *     two orthogonal patterns, two non-orthogonal ones (with the lecture's
 *     Θ(0) = −1 and 1/N_p conventions), three patterns ("disappeared", and the
 *     lecture's "fake" memory, which is the reversal of a stored pattern: no
 *     memory here is neither stored nor a reversal) — each with its energy landscape.
 *  3. N orthogonal patterns in N neurons: W = 0, the flat landscape.
 *  4. Capacity and spurious states: fixed points of random-pattern nets by
 *     enumeration; the fraction of stable patterns against K/N.
 *  5. Contrastive training: all non-desired states (a rescaled Hebbian rule),
 *     valleys from random starts, valleys from the patterns, a few steps.
 *  6. The stochastic Hopfield network: Gibbs frequencies against the exact
 *     Boltzmann probabilities (bar chart), a traced Gibbs sweep, annealing to
 *     the ground state.
 *  7. Helmholtz free energy F = U − TH against −T log Z, by enumeration.
 *  8. Boltzmann machine learning with hidden units (2×2 bars and stripes) and
 *     with label units (classification), exact log-likelihoods.
 *  9. RBM with CD-1 on 3×3 bars and stripes, exact log-likelihood per epoch.
 * 10. DBN and DBM on the same data, exact scores.
 * 11. A general EBM sampled by Metropolis: a 2-D double well, moments against
 *     quadrature, contours with the samples; then contrastive-divergence
 *     training of E(x; μ, s) = ½ e^s (x − μ)² with Metropolis negatives,
 *     against the closed-form maximum-likelihood fit.
 *
 * Run: `npm run example:lecture` (`-- --small` or `-- --quick` for the CI size, a few seconds).
 * The figures are also returned by `walkthrough()` for the smoke test
 * (test/examples/lecture.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { barsAndStripes } from '../../src/data/bars-and-stripes.js';
import { exactGroundState, exactMoments, exactThermodynamics, enumerateStates, stateFrequencies, totalVariation } from '../../src/energy/exact.js';
import type { EnergyModel } from '../../src/energy/types.js';
import { contourSvg, energyGrid } from '../../src/io/views/contours.js';
import { type EnergyLandscape, energyLandscape, landscapeImage, landscapeSvg } from '../../src/io/views/landscape.js';
import { probabilityBarsSvg, spinLabels } from '../../src/io/views/probability-bars.js';
import { trainingCurveSvg } from '../../src/io/views/training-curve.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import type { EpochMetrics } from '../../src/models/contract.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { RBM } from '../../src/models/rbm.js';
import { rbmExactLogLikelihood } from '../../src/models/rbm-exact.js';
import { writePng } from '../../src/node/png.js';
import { Random } from '../../src/random/random.js';
import { effectiveSampleSize, monteCarloStandardError } from '../../src/samplers/diagnostics.js';
import { gaussianProposal, Metropolis } from '../../src/samplers/metropolis.js';
import { runChain } from '../../src/samplers/run.js';
import { geometricSchedule } from '../../src/samplers/schedules.js';
import { formatTrace } from '../../src/samplers/trace.js';
import { hebbianWeights } from '../../src/train/hopfield-rules.js';
import { EBMTrainer, parametricEnergy } from '../../src/train/ebm-trainer.js';
import { trainHopfieldContrastive } from '../../src/train/train-hopfield-contrastive.js';

/** One printed number, with the exact value it should match when there is one. */
export interface Figure {
  /** Section number (1..11). */
  section: number;
  /** Short name, unique. */
  name: string;
  /** The computed value. */
  value: number;
  /** The exact (enumerated or closed-form) value, when one exists. */
  exact?: number;
  /** Allowed |value − exact| (sampling error or rounding). */
  tolerance?: number;
}

/** Options of {@link walkthrough}. */
export interface WalkthroughOptions {
  /** The CI size: fewer epochs, samples and sizes. */
  small?: boolean;
  /** Where the pictures go. Default examples/out/lecture. */
  outDir?: string;
  /** Line printer. Default console.log. */
  print?: (line: string) => void;
}

const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'lecture');

/** Runs every section in order; returns the figures. */
export function walkthrough(options: WalkthroughOptions = {}): Figure[] {
  const small = options.small === true;
  const outDir = options.outDir ?? DEFAULT_OUT;
  const print = options.print ?? ((line: string) => console.log(line));
  mkdirSync(outDir, { recursive: true });
  const figures: Figure[] = [];
  let section = 0;
  const head = (title: string) => {
    section++;
    print(`\n== ${section}. ${title} ==`);
  };
  const fig = (name: string, value: number, exact?: number, tolerance?: number) => {
    figures.push({ section, name, value, exact, tolerance });
    const v = Number.isInteger(value) ? String(value) : value.toFixed(6);
    const e = exact === undefined ? '' : `   (exact ${Number.isInteger(exact) ? exact : exact.toFixed(6)}${tolerance ? `, tolerance ${tolerance.toPrecision(2)}` : ''})`;
    print(`  ${name} = ${v}${e}`);
  };
  const write = (file: string, text: string) => {
    writeFileSync(join(outDir, file), text);
    print(`  wrote examples/out/lecture/${file}`);
  };
  const landscape = (file: string, land: EnergyLandscape, title: string) => {
    write(`${file}.svg`, landscapeSvg(land, { title }));
    writePng(join(outDir, `${file}.png`), landscapeImage(land, { cellSize: 24 }));
    print(`  wrote examples/out/lecture/${file}.png`);
  };
  const key = (y: ArrayLike<number>) => Array.from(y, (v) => (v > 0 ? '+' : '−')).join('');
  const spinsOf = (k: number, n: number) => Float64Array.from({ length: n }, (_, i) => ((k >>> i) & 1 ? 1 : -1));
  const indexOf = (y: ArrayLike<number>) => Array.from(y).reduce((k, v, i) => k | ((v > 0 ? 1 : 0) << i), 0);
  const fixedKeys = (land: EnergyLandscape) => Array.from(land.fixedPoints, (k) => key(spinsOf(k, land.dimension)));

  // 1. Dynamics ---------------------------------------------------------------------------
  head('Hopfield dynamics: flip while y_i·h_i < 0; every flip lowers E by 2|h_i|');
  {
    const net = new HopfieldNetwork(4);
    net.fit([[1, 1, -1, -1]], { scale: 'none' }); // w_ij = ξ_i ξ_j
    const cue = Float64Array.of(1, -1, 1, -1);
    const r = net.evolve(cue, { trace: true });
    const tr = r.trace as NonNullable<typeof r.trace>;
    print(`  stored ξ = ++−−, cue ${key(cue)} → ${key(r.state)} in ${r.flips} flips:`);
    for (const line of formatTrace(tr).split('\n')) print(`    ${line}`);
    let worst = 0;
    for (let k = 0; k < tr.length; k++) worst = Math.max(worst, Math.abs(tr.deltaE[k] + 2 * Math.abs(tr.localField[k])));
    fig('dynamics.flips', r.flips, 2);
    fig('dynamics.final-energy', r.energies[r.sweeps], -6);
    fig('dynamics.max |ΔE + 2|h||', worst, 0, 1e-12);
    // "Will this process converge?" One unit at a time, yes (E falls with every flip); all at once, not always
    const pair = HopfieldNetwork.fromWeights([
      [0, 1],
      [1, 0],
    ]);
    const sync = pair.evolve(Float64Array.of(1, -1), { mode: 'sync', maxSweeps: 10 });
    const async = pair.evolve(Float64Array.of(1, -1));
    print(`  w₁₂ = 1 from +−: synchronous updates cycle (+− → −+ → +−, cycle detected: ${sync.cycle}); asynchronous updates stop at ${key(async.state)} after ${async.flips} flip`);
    fig('dynamics.sync-cycle', sync.cycle ? 1 : 0, 1);
    fig('dynamics.async-converged', async.converged ? 1 : 0, 1);
  }

  // 2. Hebbian storage in 4 neurons ------------------------------------------------------------
  head('Hebbian storage in 4 neurons: orthogonal, non-orthogonal, three patterns');
  {
    const one = new HopfieldNetwork(4);
    one.fit([[1, 1, -1, -1]], { scale: 'none' });
    fig('one-pattern.E(ξ) with w = ξξᵀ', one.energy(Float64Array.of(1, 1, -1, -1)), -6); // −N(N−1)/2, the lowest possible
    const two = [
      [1, 1, -1, -1],
      [1, -1, 1, -1],
    ];
    const net2 = new HopfieldNetwork(4);
    net2.fit(two, { scale: 'patterns' });
    const land2 = energyLandscape(net2);
    print(`  two orthogonal patterns ${two.map(key).join(', ')}: fixed points ${fixedKeys(land2).join(' ')}`);
    fig('two-orthogonal.fixed-points', land2.fixedPoints.length, 4);
    landscape('2-two-orthogonal', land2, '4 neurons, 2 orthogonal patterns (Hebbian)');
    const nonOrth = [
      [1, 1, -1, -1],
      [1, 1, 1, -1],
    ];
    const net2b = new HopfieldNetwork(4);
    net2b.fit(nonOrth, { scale: 'patterns' });
    const keep = energyLandscape(net2b);
    const minus = energyLandscape(net2b, { tie: 'minus' });
    print(`  two non-orthogonal patterns ${nonOrth.map(key).join(', ')}, 1/N_p scale:`);
    print(`    tie 'keep' (library default): fixed points ${fixedKeys(keep).join(' ')}`);
    print(`    tie 'minus' (the slide's Θ(0) = −1): fixed points ${fixedKeys(minus).join(' ')}; +++− evolves to ${key(spinsOf(minus.basin[indexOf([1, 1, 1, -1])] as number, 4))}`);
    fig('two-non-orthogonal.fixed-points (keep)', keep.fixedPoints.length, 4);
    fig('two-non-orthogonal.fixed-points (Θ(0)=−1)', minus.fixedPoints.length, 2);
    landscape('2-two-non-orthogonal', minus, "2 non-orthogonal patterns, Θ(0) = −1");
    const three = [...two, [1, 1, 1, -1]];
    const net3 = new HopfieldNetwork(4);
    net3.fit(three, { scale: 'patterns' });
    const land3 = energyLandscape(net3);
    const stored3 = three.filter((p) => net3.isFixedPoint(Float64Array.from(p)));
    const storedKeys = new Set(three.flatMap((p) => [key(p), key(p.map((v) => -v))]));
    const fake = fixedKeys(land3).filter((k) => !storedKeys.has(k));
    print(`  three patterns ${three.map(key).join(', ')}: fixed points ${fixedKeys(land3).join(' ')}`);
    for (const p of three) if (!net3.isFixedPoint(Float64Array.from(p))) print(`    ${key(p)} disappeared: it evolves to ${key(net3.evolve(Float64Array.from(p)).state)}`);
    print(`    fake memories (neither stored nor a reversal): ${fake.join(' ') || 'none'}; −−−+ is the reversal of the stored +++−`);
    fig('three.stored-patterns-stable', stored3.length, 1);
    fig('three.fixed-points', land3.fixedPoints.length, 2);
    landscape('2-three-patterns', land3, '4 neurons, 3 patterns (Hebbian)');
  }

  // 3. Orthogonal patterns: the flat landscape -------------------------------------------------
  head('N orthogonal patterns in N neurons: W = 0 and a flat landscape');
  {
    const n = small ? 4 : 8;
    const h = [[1]];
    while (h.length < n) {
      const m = h.length;
      for (let r = 0; r < m; r++) h.push([...(h[r] as number[]), ...(h[r] as number[]).map((v) => -v)]);
      for (let r = 0; r < m; r++) h[r] = [...(h[r] as number[]), ...(h[r] as number[])];
    }
    const net = new HopfieldNetwork(n);
    net.fit(h, { scale: 'patterns' });
    let maxW = 0;
    for (const w of net.weights.data) maxW = Math.max(maxW, Math.abs(w));
    const land = energyLandscape(net);
    const distinct = new Set(Array.from(land.energies, (e) => e.toFixed(12))).size;
    print(`  ${n} Hadamard patterns (mutually orthogonal): max |w_ij| = ${maxW}, distinct energies ${distinct}, every state a fixed point`);
    fig('flat.max|w|', maxW, 0, 1e-15);
    fig('flat.distinct-energies', distinct, 1);
    fig('flat.fixed-points', land.fixedPoints.length, 2 ** n);
    landscape('3-flat', land, `${n} orthogonal patterns: flat`);
  }

  // 4. Capacity and spurious states ------------------------------------------------------------
  head('Capacity and spurious states');
  {
    const n = small ? 10 : 12;
    const rng = new Random(2024);
    print(`  ${n} neurons, random patterns, Hebbian; fixed points by enumeration of all 2^${n} states:`);
    print('    K   fixed points   ±stored   spurious   stored patterns stable');
    for (let k = 1; k <= 4; k++) {
      const pats = Array.from({ length: k }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
      const net = new HopfieldNetwork(n);
      net.fit(pats);
      const land = energyLandscape(net);
      const keys = new Set(pats.flatMap((p) => [key(p), key(p.map((v) => -v))]));
      const fk = fixedKeys(land);
      const stored = fk.filter((f) => keys.has(f)).length;
      const stable = pats.filter((p) => net.isFixedPoint(Float64Array.from(p))).length;
      print(`    ${k}   ${String(fk.length).padStart(12)}   ${String(stored).padStart(7)}   ${String(fk.length - stored).padStart(8)}   ${stable}/${k}`);
      if (k === 3) {
        fig('capacity.K=3 spurious fixed points', fk.length - stored);
        landscape('4-three-random-patterns', land, `${n} neurons, 3 random patterns`);
      }
    }
    const big = small ? 100 : 200;
    const trials = small ? 3 : 10;
    print(`  ${big} neurons: fraction of stored random patterns that are fixed points (${trials} pattern sets per K):`);
    const ratios = [0.05, 0.1, 0.138, 0.2, 0.3];
    const fractions: number[] = [];
    for (const a of ratios) {
      const k = Math.max(1, Math.round(a * big));
      let stable = 0;
      for (let t = 0; t < trials; t++) {
        const pats = new Float64Array(k * big);
        for (let i = 0; i < pats.length; i++) pats[i] = rng.float64() < 0.5 ? -1 : 1;
        const net = new HopfieldNetwork(big);
        net.fit({ rows: k, cols: big, data: pats });
        for (let p = 0; p < k; p++) if (net.isFixedPoint(pats.subarray(p * big, (p + 1) * big))) stable++;
      }
      fractions.push(stable / (k * trials));
      print(`    K/N = ${a.toFixed(3)} (K = ${k}): ${(stable / (k * trials)).toFixed(3)}`);
    }
    fig('capacity.stable-fraction K/N=0.05', fractions[0] as number);
    fig('capacity.stable-fraction K/N=0.3', fractions[4] as number);
  }

  // 5. Contrastive training -------------------------------------------------------------------
  head('Contrastive training: raise all other states, the valleys, or a few steps');
  {
    const n = 10;
    const rng = new Random(1);
    const pats = Array.from({ length: 4 }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
    const keys = new Set(pats.flatMap((p) => [key(p), key(p.map((v) => -v))]));
    /** Stable stored patterns, spurious fixed points, and the fraction of all 2^N states that descend to a stored pattern or its reversal. */
    const quality = (net: HopfieldNetwork) => {
      const land = energyLandscape(net);
      const stable = pats.filter((p) => net.isFixedPoint(Float64Array.from(p))).length;
      const spurious = fixedKeys(land).filter((f) => !keys.has(f)).length;
      let home = 0;
      for (const b of land.basin) if (b >= 0 && keys.has(key(spinsOf(b, n)))) home++;
      return { land, stable, spurious, basin: home / 2 ** n };
    };
    const show = (label: string, q: ReturnType<typeof quality>) =>
      print(`  ${label.padEnd(34)} stored patterns stable ${q.stable}/4, spurious fixed points ${String(q.spurious).padStart(2)}, states that descend to a memory ${(100 * q.basin).toFixed(1)}%`);
    const hebb = new HopfieldNetwork(n);
    hebb.fit(pats, { scale: 'patterns' }); // 1/N_p = 1/4: every weight and field exact, so ties are exact
    const qh = quality(hebb);
    print(`  ${n} neurons, 4 random patterns:`);
    show('Hebbian', qh);
    fig('contrastive.hebbian.stable', qh.stable);
    landscape('5-hebbian', qh.land, `${n} neurons, 4 patterns: Hebbian`);
    // (a) all non-desired states: exactly a rescaled Hebbian rule
    const all = new HopfieldNetwork(n);
    trainHopfieldContrastive(all, pats, { variant: 'all-states', epochs: 1, learningRate: 1 });
    const raw = hebbianWeights(pats, { scale: 'none' });
    const c = 1 / pats.length + 1 / (2 ** n - pats.length);
    let dev = 0;
    for (let k = 0; k < raw.data.length; k++) dev = Math.max(dev, Math.abs((all.weights.data[k] as number) - c * (raw.data[k] as number)));
    const qa = quality(all);
    show('(a) all non-desired states', qa);
    fig('contrastive.all-states.stable (= Hebbian)', qa.stable, qh.stable);
    fig('contrastive.all-states.spurious (= Hebbian)', qa.spurious, qh.spurious);
    print(`      one epoch, η = 1: W = (1/N_p + 1/(2^N − N_p)) Σ yyᵀ to ${dev.toExponential(1)} — the slide's "Issue??": it is the Hebbian rule`);
    fig('contrastive.all-states vs rescaled Hebbian', dev, 0, 1e-12);
    let fewSteps: EpochMetrics[] = [];
    const full: string[] = [];
    for (const [label, variant] of [
      ['(b) valleys from random starts', 'random-starts'],
      ['(c) valleys from the patterns', 'from-patterns'],
      ['(d) a few steps from the patterns', 'few-steps'],
    ] as const) {
      const net = new HopfieldNetwork(n, { rng: 5 });
      net.fit(pats, { scale: 'patterns' }); // start from the Hebbian weights
      const r = trainHopfieldContrastive(net, pats, { variant, epochs: 100, rng: 11 });
      const q = quality(net);
      show(`${label}, ${r.epochs} epochs`, q);
      fig(`contrastive.${variant}.stable`, q.stable);
      fig(`contrastive.${variant}.spurious`, q.spurious);
      if (q.stable === 4 && q.spurious === 0) full.push(label.slice(0, 3));
      if (variant === 'few-steps') {
        fewSteps = r.history;
        landscape('5-few-steps', q.land, `${n} neurons, 4 patterns: contrastive, a few steps`);
      }
    }
    print(`  all four patterns stored with no spurious fixed point: ${full.join(' ') || 'none'} (from the Hebbian start, default learning rates, 100 epochs)`);
    write('5-contrastive-few-steps.svg', trainingCurveSvg(fewSteps, { metrics: ['stableFraction', 'meanOverlap'], title: 'contrastive training, a few steps' }));
  }

  // 6. Stochastic Hopfield and annealing -------------------------------------------------------
  head('Stochastic Hopfield network: Gibbs sampling, P(y_i = +1 | rest) = σ(2h_i/T), and annealing');
  {
    const n = 5;
    const rng = new Random(3);
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = Number((rng.normal() * 0.6).toFixed(2));
        w[i * n + j] = v;
        w[j * n + i] = v;
      }
    }
    const bias = Float64Array.from({ length: n }, () => Number((rng.normal() * 0.3).toFixed(2)));
    const net = HopfieldNetwork.fromWeights({ rows: n, cols: n, data: w }, bias, { rng: 8 });
    const g = net.gibbs({ temperature: 1, rng: 9 });
    print('  one traced Gibbs sweep at T = 1 (every visit; * = the unit changed):');
    for (const line of formatTrace(g.traceSweeps(1)).split('\n')) print(`    ${line}`);
    const exact = enumerateStates(net).probabilities;
    const nSamples = small ? 20000 : 200000;
    const run = runChain(g, { nSamples, burnIn: 100 });
    const freq = stateFrequencies(run.samples, n);
    const tv = totalVariation(exact, freq);
    // The expected TV of a multinomial sample of effective size m is ½ Σ_k E|p̂_k − p_k| ≈ ½ √(2/π) Σ_k √(p_k(1 − p_k)/m);
    // m is the chain's effective sample size, from the energy trace. A TV beyond 3× that is a sampler bug, not noise.
    const ess = effectiveSampleSize(run.energies);
    let expected = 0;
    for (const p of exact) expected += Math.sqrt((p * (1 - p)) / ess);
    expected *= 0.5 * Math.sqrt(2 / Math.PI);
    print(`  ${nSamples} sweeps (effective sample size ${ess.toFixed(0)}): total variation to the exact Boltzmann distribution ${tv.toFixed(4)} (expected from sampling noise ≈ ${expected.toFixed(4)})`);
    fig('gibbs.total-variation', tv, 0, 3 * expected);
    write('6-gibbs-vs-exact.svg', probabilityBarsSvg(exact, freq, { labels: spinLabels(n), title: `Gibbs (${nSamples} sweeps) vs exact, T = 1` }));
    // annealing on a larger frustrated net
    const m = small ? 12 : 16;
    const wm = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const v = rng.normal();
        wm[i * m + j] = v;
        wm[j * m + i] = v;
      }
    }
    const spin = HopfieldNetwork.fromWeights({ rows: m, cols: m, data: wm }, undefined, { rng: 4 });
    const ground = exactGroundState(spin.quadratic);
    const starts = 20;
    let descentHits = 0;
    let annealHits = 0;
    let annealBest = Number.POSITIVE_INFINITY;
    const hit = (e: number) => Math.abs(e - ground.energy) < 1e-9;
    for (let t = 0; t < starts; t++) {
      const start = Float64Array.from({ length: m }, () => (rng.float64() < 0.5 ? -1 : 1));
      const quench = spin.evolve(start);
      if (hit(quench.energies[quench.sweeps] as number)) descentHits++;
      const annealed = spin.annealRecall(start, geometricSchedule(3, 0.9, 0.05), { sweepsPerTemperature: 5, quench: true });
      if (hit(annealed.energy)) annealHits++;
      annealBest = Math.min(annealBest, annealed.bestEnergy);
    }
    print(`  ${m}-unit frustrated net (w_ij ~ N(0, 1)), ground state E = ${ground.energy.toFixed(4)} (enumeration); from ${starts} random states:`);
    print(`    deterministic descent ends in the ground state ${descentHits}/${starts} times; annealing T = 3 → 0.05 (×0.9, 5 sweeps each, then descent) ${annealHits}/${starts}`);
    fig('anneal.descent-hits', descentHits);
    fig('anneal.anneal-hits', annealHits);
    fig('anneal.best-energy', annealBest, ground.energy, 1e-9);
    // retrieval by the stochastic network: average the last M samples and take the sign
    const k = 32;
    const mem = new HopfieldNetwork(k, { rng: 13 });
    const stored = Array.from({ length: 3 }, () => Array.from({ length: k }, () => (rng.float64() < 0.5 ? -1 : 1)));
    mem.fit(stored);
    const cue = Float64Array.from(stored[0] as number[]);
    for (const i of [0, 5, 9, 14, 22, 27]) cue[i] = -(cue[i] as number);
    const overlap = (y: ArrayLike<number>) => Array.from(y).reduce((a, v, i) => a + v * ((stored[0] as number[])[i] as number), 0) / k;
    const one = mem.sampleRecall(cue, { temperature: 0.4, sweeps: 60, average: 1 });
    const avg = mem.sampleRecall(cue, { temperature: 0.4, sweeps: 60, average: 30 });
    print(`  ${k} neurons, 3 stored patterns, cue with 6 of 32 bits flipped (overlap ${overlap(cue).toFixed(3)}), Gibbs at T = 0.4 for 60 sweeps:`);
    print(`    last sample (M = 1) overlap ${overlap(one.state).toFixed(3)}; sign of the mean of the last M = 30 samples overlap ${overlap(avg.state).toFixed(3)}`);
    fig('stochastic-recall.overlap M=30', overlap(avg.state));
  }

  // 7. Helmholtz free energy -------------------------------------------------------------------
  head('Helmholtz free energy F = U − T·H against −T log Z (enumeration)');
  {
    const n = small ? 8 : 12;
    const bm = new BoltzmannMachine(n, 0, { initScale: 1, rng: 42 });
    const e = bm.energyFunction;
    print('      T          U          H      F = U − TH     −T log Z   brute-force F');
    let worst = 0;
    for (const t of [0.5, 1, 2]) {
      const th = exactThermodynamics(e, { temperature: t });
      // brute force, written out: P(s) = exp(−E/T)/Z, U = Σ P E, H = −Σ P log P
      const energies: number[] = [];
      const s = new Float64Array(n);
      for (let k = 0; k < 2 ** n; k++) {
        for (let i = 0; i < n; i++) s[i] = (k >>> i) & 1;
        energies.push(bm.energy(s));
      }
      const emin = Math.min(...energies);
      const z = energies.reduce((a, v) => a + Math.exp(-(v - emin) / t), 0);
      let u = 0;
      let h = 0;
      for (const v of energies) {
        const p = Math.exp(-(v - emin) / t) / z;
        u += p * v;
        if (p > 0) h -= p * Math.log(p);
      }
      const fBrute = u - t * h;
      worst = Math.max(worst, Math.abs(th.freeEnergy - th.freeEnergyFromZ), Math.abs(th.freeEnergy - fBrute));
      print(`  ${t.toFixed(2).padStart(5)} ${th.internalEnergy.toFixed(5).padStart(10)} ${th.entropy.toFixed(5).padStart(10)} ${th.freeEnergy.toFixed(6).padStart(13)} ${th.freeEnergyFromZ.toFixed(6).padStart(12)} ${fBrute.toFixed(6).padStart(14)}`);
      if (t === 1) fig('helmholtz.F(T=1)', th.freeEnergy, fBrute, 1e-9);
    }
    fig('helmholtz.max |F − (−T log Z)|', worst, 0, 1e-9);
  }

  // 8. Boltzmann machine learning with hidden and label units --------------------------------------
  head('Boltzmann machine learning: visible units, hidden units, label units');
  {
    // visible units only: ∇_{w_ij} L = ⟨s_i s_j⟩_data − ⟨s_i s_j⟩_model, so at the optimum the model's correlations are the data's
    const pats = [
      [1, 1, 0, 0, 1],
      [1, 1, 1, 0, 0],
      [0, 0, 1, 1, 1],
      [1, 0, 1, 1, 0],
      [0, 1, 0, 1, 1],
      [1, 1, 0, 1, 0],
    ];
    const vis = new BoltzmannMachine(5, 0, { initScale: 0.1, rng: 5 });
    const mismatch = () => {
      const model = exactMoments(vis.energyFunction);
      let worst = 0;
      for (let i = 0; i < 5; i++) {
        for (let j = i; j < 5; j++) {
          const data = pats.reduce((a, p) => a + (p[i] as number) * (p[j] as number), 0) / pats.length;
          const m = i === j ? (model.mean[i] as number) : (model.correlation.data[i * 5 + j] as number);
          worst = Math.max(worst, Math.abs(data - m));
        }
      }
      return worst;
    };
    const m0 = mismatch();
    vis.fit(pats, { epochs: small ? 150 : 600, learningRate: (e) => 1 / (1 + e / 50), freeSamples: 500, freeChains: 50, persistent: true, rng: 6 });
    const m1 = mismatch();
    print(`  5 visible units, 6 patterns: max |⟨s_i s_j⟩_data − ⟨s_i s_j⟩_model| (exact model moments) ${m0.toFixed(4)} → ${m1.toFixed(4)}`);
    fig('bm-visible.moment-mismatch', m1);
    const bas = barsAndStripes(2).data; // 6 patterns of 4 pixels
    const bm = new BoltzmannMachine(4, 2, { initScale: 0.1, rng: 2026 });
    const before = bm.exactLogLikelihood(bas, { gradient: false }).logLikelihood;
    const epochs = small ? 60 : 300;
    const fit = bm.fit(bas, { epochs, learningRate: 0.5, freeSamples: 200, freeChains: 20, clampedSamples: 5, persistent: true, exactLogLikelihood: true, rng: 3 });
    const after = bm.exactLogLikelihood(bas, { gradient: false }).logLikelihood;
    print(`  2×2 bars and stripes (6 patterns), 4 visible + 2 hidden, ${epochs} epochs of the sampled ML gradient:`);
    print(`    exact mean log-likelihood ${before.toFixed(4)} → ${after.toFixed(4)} nats (uniform ${(-4 * Math.log(2)).toFixed(4)}, best possible ${(-Math.log(6)).toFixed(4)})`);
    fig('bm-hidden.log-likelihood gain', after - before);
    write('8-bm-hidden-training.svg', trainingCurveSvg(fit, { metrics: ['logLikelihood'], title: 'Boltzmann machine, 2×2 bars and stripes' }));
    // labels: vertical bars (class 0) against horizontal stripes (class 1)
    const data = [
      [1, 0, 1, 0],
      [0, 1, 0, 1],
      [1, 1, 0, 0],
      [0, 0, 1, 1],
    ];
    const labels = [0, 0, 1, 1];
    // bars and stripes have the same pixel sum, so no linear function of v separates them: the hidden units must
    const lab = new BoltzmannMachine(4, 3, { nLabels: 2, initScale: 0.1, rng: 8 });
    const l0 = lab.exactLogLikelihood(data, { labels, gradient: false }).logLikelihood;
    lab.fit(data, { labels, epochs: 400, learningRate: 1, freeSamples: 200, freeChains: 20, clampedSamples: 5, persistent: true, rng: 4 });
    const l1 = lab.exactLogLikelihood(data, { labels, gradient: false }).logLikelihood;
    const pred = lab.predict(data);
    const correct = labels.filter((c, r) => pred[r] === c).length;
    const post = lab.classProbabilities(data);
    print(`  4 visible + 3 hidden + 2 one-hot label units: exact mean log P(v, c) ${l0.toFixed(4)} → ${l1.toFixed(4)} (best ${(-Math.log(4)).toFixed(4)}); classified ${correct}/4 correctly`);
    print(`    P(c = bars | v): ${data.map((v, r) => `${v.join('')} ${(post.data[2 * r] as number).toFixed(3)}`).join(', ')}`);
    fig('bm-labels.correct', correct, 4);
  }

  // 9. RBM with CD-1 ------------------------------------------------------------------------
  head('Restricted Boltzmann machine, contrastive divergence (CD-1)');
  let bas3: Matrix;
  {
    bas3 = barsAndStripes(3).data; // 14 patterns of 9 pixels
    const rbm = new RBM(9, 8, { rng: 1 });
    const epochs = small ? 300 : 2000;
    const every = small ? 50 : 200;
    const ll: number[] = [];
    const mean = () => rbmExactLogLikelihood(rbm, bas3).reduce((a, v) => a + v, 0) / bas3.rows;
    ll.push(mean());
    rbm.fit(bas3, {
      epochs,
      method: 'cd',
      k: 1,
      learningRate: 0.1,
      batchSize: 2,
      momentum: 0.5,
      rng: 10,
      onEpoch: (m) => {
        if ((m.epoch + 1) % every === 0) ll.push(mean());
      },
    });
    print(`  3×3 bars and stripes (14 patterns), 9 visible + 8 hidden, CD-1, exact mean log-likelihood every ${every} epochs:`);
    print(`    ${ll.map((v) => v.toFixed(3)).join(' → ')}   (uniform ${(-9 * Math.log(2)).toFixed(3)}, best ${(-Math.log(14)).toFixed(3)})`);
    const peak = ll.indexOf(Math.max(...ll));
    print(`    highest ${(ll[peak] as number).toFixed(3)} after ${peak * every} epochs: CD-1 follows an approximation of the likelihood gradient, and the exact value need not keep rising`);
    fig('rbm.cd1.log-likelihood', ll[ll.length - 1] as number);
    fig('rbm.cd1.best-log-likelihood', ll[peak] as number);
    const history: EpochMetrics[] = ll.map((v, k) => ({ epoch: k * every, steps: k * every, learningRate: 0.1, seconds: 0, logLikelihood: v }));
    write('9-rbm-cd1.svg', trainingCurveSvg(history, { title: 'RBM CD-1 on 3×3 bars and stripes (exact LL)', yLabel: 'mean log-likelihood (nats)' }));
  }

  // 10. DBN and DBM -------------------------------------------------------------------------
  head('Deep belief net and deep Boltzmann machine (layer-wise pretraining)');
  {
    const dbn = new DBN([9, 8, 6], { rng: 3 });
    dbn.fit(bas3, { epochs: small ? 300 : 1000, batchSize: 2, learningRate: 0.5 });
    const sDbn = dbn.score(bas3);
    const dbm = new DBM([9, 6, 4], { rng: 3 });
    dbm.fit(bas3, { epochs: 100, pretrain: 300, pretrainTrainer: { learningRate: 0.5, batchSize: 2 }, batchSize: 2, nChains: 20, learningRate: 0.1 });
    const sDbm = dbm.score(bas3);
    print(`  DBN 9-8-6: mean log-likelihood ${sDbn.mean.toFixed(4)} (${sDbn.method}); DBM 9-6-4: ${sDbm.mean.toFixed(4)} (${sDbm.method})`);
    fig('dbn.log-likelihood', sDbn.mean);
    fig('dbm.log-likelihood', sDbm.mean);
    fig('dbm.score-is-exact', sDbm.method === 'exact' ? 1 : 0, 1);
  }

  // 11. General EBM with Metropolis ---------------------------------------------------------
  head('A general energy-based model: Metropolis sampling of E(x, y) = (x² − 1)² + y²/2, then CD training with Metropolis negatives');
  {
    const f = (x: number, y: number) => (x * x - 1) ** 2 + (y * y) / 2;
    const model: EnergyModel = { dimension: 2, domain: 'continuous', energy: (p) => f(p[0] as number, p[1] as number) };
    // ratio of two probabilities without Z
    const a = Float64Array.of(1, 0);
    const b = Float64Array.of(0, 0);
    fig('ebm.P(1,0)/P(0,0)', Math.exp(-model.energy(a) + model.energy(b)), Math.E, 1e-12);
    const nSamples = small ? 20000 : 200000;
    const mh = new Metropolis(model, { proposal: gaussianProposal(0.8), rng: 12, initial: Float64Array.of(0.5, 0) });
    const run = runChain(mh, { nSamples, burnIn: 1000, thin: 2, recordEnergy: false });
    const x2 = new Float64Array(nSamples);
    const pos = new Float64Array(nSamples);
    for (let k = 0; k < nSamples; k++) {
      const x = run.samples[2 * k] as number;
      x2[k] = x * x;
      pos[k] = x > 0 ? 1 : 0;
    }
    const ex2 = x2.reduce((a, v) => a + v, 0) / nSamples;
    const right = pos.reduce((a, v) => a + v, 0);
    // tolerances: 5 Monte Carlo standard errors (autocorrelation included)
    const seX2 = monteCarloStandardError(x2);
    const sePos = monteCarloStandardError(pos);
    // quadrature: E[x²] under exp(−(x² − 1)²) (y factorises)
    let zq = 0;
    let mq = 0;
    for (let k = 0; k <= 20000; k++) {
      const x = -4 + (8 * k) / 20000;
      const p = Math.exp(-((x * x - 1) ** 2));
      zq += p;
      mq += x * x * p;
    }
    print(`  ${nSamples} samples, acceptance ${(mh.acceptanceRate ?? 0).toFixed(3)}: E[x²] = ${ex2.toFixed(4)} (quadrature ${(mq / zq).toFixed(4)}), fraction with x > 0 ${(right / nSamples).toFixed(4)} (exact 0.5)`);
    fig('ebm.E[x²]', ex2, mq / zq, 5 * seX2);
    fig('ebm.P(x>0)', right / nSamples, 0.5, 5 * sePos);
    const grid = energyGrid(f, { xRange: [-2.2, 2.2], yRange: [-2, 2], resolution: 81 });
    const shown = Math.min(nSamples, 1500);
    write('11-ebm-metropolis.svg', contourSvg(grid, { levels: [0.25, 0.5, 1, 1.5, 2, 3, 4], samples: { rows: shown, cols: 2, data: run.samples.subarray(0, 2 * shown) }, title: 'double well, Metropolis samples' }));
  }
  {
    // training by contrastive divergence, ∇θ L ≈ ∇θ(−E(x_data) + E(x_sample)), the samples from Metropolis chains
    // (persistent, in the trainer's replay buffer): E(x; μ, s) = ½ e^s (x − μ)², whose maximum-likelihood fit is
    // exactly the data's mean and variance
    const n = small ? 500 : 2000;
    const rng = new Random(1);
    const data = Float64Array.from({ length: n }, () => 2 + 0.5 * rng.normal());
    const mean = data.reduce((a, v) => a + v, 0) / n;
    const variance = data.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
    const gauss = parametricEnergy({
      dimension: 1,
      parameters: Float64Array.of(0, 0),
      energy: (x, t) => 0.5 * Math.exp(t[1] as number) * ((x[0] as number) - (t[0] as number)) ** 2,
      gradX: (out, x, t) => {
        out[0] = Math.exp(t[1] as number) * ((x[0] as number) - (t[0] as number));
      },
      gradTheta: (out, x, t) => {
        const d = (x[0] as number) - (t[0] as number);
        out[0] = -Math.exp(t[1] as number) * d;
        out[1] = 0.5 * Math.exp(t[1] as number) * d * d;
      },
    });
    const trainer = new EBMTrainer(gauss, { sampler: 'metropolis', learningRate: 0.05, optimizer: 'sgd', langevinSteps: 30, stepSize: 0.5, reinitProbability: 0, regularization: 0, bounds: [-6, 6], rng: 2 });
    const fit = trainer.fit({ rows: n, cols: 1, data }, { epochs: small ? 40 : 100, batchSize: 100 });
    const mu = gauss.parameters[0] as number;
    const v = Math.exp(-(gauss.parameters[1] as number));
    print(`  CD with Metropolis negatives, E(x; μ, s) = ½ e^s (x − μ)² on ${n} points: μ = ${mu.toFixed(4)} (MLE ${mean.toFixed(4)}), e^−s = ${v.toFixed(4)} (MLE ${variance.toFixed(4)})`);
    // tolerances: 5 standard errors of the MLE itself (σ/√n for the mean, σ²√(2/n) for the variance)
    fig('ebm-cd.mean', mu, mean, 5 * Math.sqrt(variance / n));
    fig('ebm-cd.variance', v, variance, 5 * variance * Math.sqrt(2 / n));
    write('11-ebm-cd-loss.svg', trainingCurveSvg(fit, { metrics: ['loss'], title: 'CD with Metropolis negatives: ⟨E(data)⟩ − ⟨E(samples)⟩' }));
  }
  print(`\n${figures.length} figures; pictures in examples/out/lecture/`);
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  const figures = walkthrough({ small: process.argv.includes('--small') || process.argv.includes('--quick') });
  const off = figures.filter((f) => f.exact !== undefined && !(Math.abs(f.value - f.exact) <= (f.tolerance ?? 0)));
  const checked = figures.filter((f) => f.exact !== undefined).length;
  console.log(`${off.length === 0 ? 'all' : `${checked - off.length} of`} ${checked} figures with an exact value match it (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (off.length > 0) {
    for (const f of off) console.log(`  OFF: ${f.name} = ${f.value}, exact ${f.exact}`);
    process.exit(1);
  }
}

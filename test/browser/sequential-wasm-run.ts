/**
 * Seeded sequential-sampler runs (asynchronous Hopfield updates, Gibbs sweeps, a Boltzmann
 * machine's chain, Metropolis over a quadratic energy) hashed twice in the same environment:
 * with the WebAssembly loops (src/linalg/wasm/sequential.ts) and with the TS loops
 * (`setKernel(tsKernel)`). Used by test/browser/sequential-wasm.test.ts in Node and Chromium:
 * all four hashes must agree, between the loops and between the engines.
 */
import { ready, setKernel } from '../../src/linalg/kernel.js';
import { matrix } from '../../src/linalg/matrix.js';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import { useSequentialWasm } from '../../src/linalg/wasm/sequential.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { QuadraticEnergy } from '../../src/energy/quadratic.js';
import { Random } from '../../src/random/random.js';
import { QuadraticGibbs } from '../../src/samplers/gibbs.js';
import { Metropolis } from '../../src/samplers/metropolis.js';

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

function symmetric(n: number, rng: Random, scale: number): Float64Array {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) w[i * n + j] = w[j * n + i] = scale * rng.normal();
  return w;
}

async function runAll(): Promise<string> {
  const rng = new Random(20261203);
  const parts: Float64Array[] = [];
  // Hopfield: recall in random order with a few clamped units
  const n = 120;
  const pats = Float64Array.from({ length: 12 * n }, () => (rng.float64() < 0.5 ? -1 : 1));
  const net = new HopfieldNetwork(n, { rng: 1 });
  net.fit({ rows: 12, cols: n, data: pats });
  const clamp = new Uint8Array(n);
  for (let i = 0; i < n; i += 9) clamp[i] = 1;
  for (let c = 0; c < 4; c++) {
    const cue = pats.slice(c * n, (c + 1) * n);
    for (let i = 0; i < n; i++) if (rng.float64() < 0.3) cue[i] = -cue[i];
    const r = net.evolve(cue, { order: 'random', rng: 5 + c, clamp });
    parts.push(r.state, r.energies, Float64Array.of(r.sweeps, r.flips));
  }
  // Gibbs, spins, random scan
  const e = new QuadraticEnergy(matrix(80, 80, symmetric(80, rng, 0.3)), rng.fillNormal(new Float64Array(80), 0, 0.2), 'spin');
  const g = new QuadraticGibbs(e, { temperature: 0.8, scan: 'random', rng: 6 });
  for (let s = 0; s < 20; s++) {
    g.step();
    parts.push(g.state.slice(), g.fields.slice());
  }
  // a Boltzmann machine's chain (binary units, a free label group)
  const bm = new BoltzmannMachine(30, 20, { nLabels: 3, rng: 7 });
  const m = bm.energyFunction.dimension;
  bm.energyFunction.weights.data.set(symmetric(m, rng, 0.4));
  const chain = bm.createChain({ rng: 8 });
  for (let s = 0; s < 20; s++) {
    chain.step();
    parts.push(chain.state.slice());
  }
  // Metropolis, binary units, sequential scan
  const q = new QuadraticEnergy(matrix(70, 70, symmetric(70, rng, 0.5)), rng.fillNormal(new Float64Array(70), 0, 0.3), 'binary');
  const mh = new Metropolis(q, { temperature: 1.5, rng: 9 });
  for (let s = 0; s < 20; s++) {
    mh.step();
    parts.push(mh.state.slice(), Float64Array.of(mh.energy(), mh.accepted));
  }
  return sha256(parts);
}

/** Both hashes, and whether the WebAssembly loops ran. */
export async function sequentialWasmRun(): Promise<{ wasm: boolean; wasmHash: string; tsHash: string }> {
  await ready(); // on a page's main thread the automatic kernel is the TS one until the SIMD kernel has compiled
  const wasm = useSequentialWasm(64, 32);
  const wasmHash = await runAll();
  const prev = setKernel(tsKernel);
  try {
    return { wasm, wasmHash, tsHash: await runAll() };
  } finally {
    setKernel(prev);
  }
}

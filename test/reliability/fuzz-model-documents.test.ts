/**
 * Fuzzing the JSON model loader (issue 10): more than 10 000 malformed documents across every
 * model kind — truncated text, flipped bytes, deleted keys, values of the wrong type, absurd
 * shapes (2³¹ rows, negative sizes, products that overflow), data arrays of the wrong length,
 * `__proto__` / `constructor` keys, non-numeric entries, wrong format/version/kind. Each must load
 * or fail with a typed error of ours (FormatError, or a RangeError/TypeError whose message names
 * where it came from) — never a crash, an engine error ("Invalid typed array length", "Cannot
 * read properties of …"), a hang, or a large allocation.
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { loadModel, MODEL_KINDS } from '../../src/io/load-model.js';
import { matrix } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { DenseAssociativeMemory } from '../../src/models/dense-associative-memory.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { GaussianRBM } from '../../src/models/gaussian-rbm.js';
import { GradedHopfieldNetwork } from '../../src/models/graded-hopfield-network.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { ExpandedHopfieldNetwork } from '../../src/models/expanded-hopfield-network.js';
import { IsingModel } from '../../src/models/ising.js';
import { ModernHopfieldNetwork } from '../../src/models/modern-hopfield-network.js';
import { RBM } from '../../src/models/rbm.js';
import { Random } from '../../src/random/random.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function validDocuments(): Record<string, Json> {
  const r = new Random(1);
  const bin = matrix(12, 6, Float64Array.from({ length: 72 }, () => (r.float64() < 0.4 ? 1 : 0)));
  const rbm = new RBM(6, 3, { rng: 2, data: bin });
  new RBMTrainer(rbm, { method: 'pcd', rng: 3, batchSize: 4 }).fit(bin, { epochs: 1 });
  const hopfield = new HopfieldNetwork(5);
  hopfield.fit([[1, -1, 1, -1, 1], [1, 1, -1, -1, 1]]);
  const expanded = new ExpandedHopfieldNetwork(4, 2, { rng: 4 });
  expanded.fit([[1, -1, 1, -1]]);
  const graded = new GradedHopfieldNetwork(4, { gain: 3 });
  graded.fit([[1, -1, 1, -1]]);
  const dense = new DenseAssociativeMemory(4, { degree: 3 });
  dense.fit([[1, -1, 1, -1], [1, 1, -1, -1]]);
  const modern = new ModernHopfieldNetwork(3, { beta: 2 });
  modern.fit([[0.5, -1, 2], [1, 1, 1]]);
  const docs: Record<string, unknown> = {
    hopfield: hopfield.toDocument(),
    'hopfield-expanded': expanded.toDocument(),
    'boltzmann-machine': new BoltzmannMachine(4, 2, { nLabels: 2, rng: 5 }).toDocument(),
    rbm: rbm.toDocument(),
    'gaussian-rbm': new GaussianRBM(4, 3, { rng: 6 }).toDocument(),
    dbn: new DBN([6, 4, 3], { rng: 7 }).toDocument(),
    dbm: new DBM([6, 4, 3], { rng: 8 }).toDocument(),
    ising: new IsingModel(4, { J: 1, H: 0.2 }).toDocument(),
    'energy-network': new EnergyNetwork(2, { hidden: [4], rng: 9 }).toDocument(),
    'graded-hopfield': graded.toDocument(),
    'dense-associative-memory': dense.toDocument(),
    'modern-hopfield': modern.toDocument(),
    'gaussian-energy': new GaussianEnergy(2, { mean: [0.5, -1], precision: [2, 0.3, 0.3, 1] }).toDocument(),
  };
  return JSON.parse(JSON.stringify(docs)) as Record<string, Json>;
}

/** Paths to every node of a JSON tree. */
function paths(node: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(node)) {
    // Long data arrays: a few positions are enough.
    const idx = node.length <= 8 ? node.map((_, i) => i) : [0, 1, node.length - 1];
    for (const i of idx) paths(node[i] as Json, [...prefix, i], out);
  } else if (node !== null && typeof node === 'object') {
    for (const k of Object.keys(node)) paths(node[k] as Json, [...prefix, k], out);
  }
  return out;
}

function get(root: Json, path: (string | number)[]): Json {
  let n: Json = root;
  for (const p of path) n = (n as Record<string | number, Json>)[p] as Json;
  return n;
}

const hostile: Json[] = [
  null, true, 'x', 'NaN', '1e999', -1, 0, 1.5, 2 ** 31, 2 ** 53, -(2 ** 31), 1e308, -1e308, [], {}, [1, 2, 3], [[1]],
  { shape: [2 ** 31, 2 ** 31], data: [1] }, { shape: [-1, 4], data: [] }, { shape: [2 ** 26, 2 ** 27], data: [0] },
  { shape: [65536, 65536, 65536], data: [] }, { shape: 'big', data: 7 }, { __proto__: { polluted: 1 } } as Json,
];

/** Applies one random mutation to a deep copy of `doc`; returns JSON text. */
function mutate(doc: Json, rng: Random): string {
  const kind = rng.int(10);
  const text = JSON.stringify(doc);
  if (kind === 0) return text.slice(0, rng.int(text.length)); // truncation
  if (kind === 1) {
    // flip a character
    const i = rng.int(text.length);
    const chars = '{}[]":,0123456789-eE.xn ';
    return text.slice(0, i) + chars[rng.int(chars.length)] + text.slice(i + 1);
  }
  const copy = JSON.parse(text) as Json;
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[rng.int(all.length)] as (string | number)[];
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path[path.length - 1] as string | number;
  if (kind === 2 && !Array.isArray(parent)) {
    delete parent[key];
  } else if (kind === 3) {
    // __proto__ / constructor keys, made as own properties the way JSON.parse makes them
    const t = JSON.stringify(copy);
    const bad = rng.int(2) === 0 ? '"__proto__":{"shape":[1],"data":[1]},' : '"constructor":{"prototype":{"x":1}},';
    const at = t.indexOf('{', rng.int(Math.max(1, t.length - 1)));
    return at < 0 ? t : `${t.slice(0, at + 1)}${bad}${t.slice(at + 1)}`;
  } else if (kind === 4) {
    // shrink or grow a data array
    const tensors = (copy as Record<string, Json>).tensors as Record<string, { shape: Json; data: Json[] }> | undefined;
    const names = tensors && typeof tensors === 'object' ? Object.keys(tensors) : [];
    if (names.length) {
      const t = tensors?.[names[rng.int(names.length)] as string];
      if (t && Array.isArray(t.data)) {
        if (rng.int(2) === 0) t.data.pop();
        else t.data.push(rng.int(2) === 0 ? 1 : 'nan');
      }
    }
  } else if (kind === 5) {
    // blow up a size in config (sizes checked against the tensors before allocating)
    const config = (copy as Record<string, Json>).config as Record<string, Json>;
    const keys = config && typeof config === 'object' ? Object.keys(config) : [];
    if (keys.length) config[keys[rng.int(keys.length)] as string] = [2 ** 31, 1e9, -5, 0, 2 ** 53 + 2, [2 ** 20, 2 ** 20]][rng.int(6)] as Json;
  } else {
    parent[key] = hostile[rng.int(hostile.length)] as Json;
  }
  return JSON.stringify(copy);
}

/** Our typed errors; engine errors and crashes are not. */
function isOurs(e: unknown): boolean {
  if (e instanceof FormatError) return true;
  if (!(e instanceof RangeError || e instanceof TypeError)) return false;
  const m = e.message;
  if (/^(Invalid|Array buffer|Maximum call stack|Cannot |Reflect|Right-hand)/.test(m) || /is not (a function|iterable|an object)/.test(m)) return false;
  return /^[A-Za-z][\w.]*( [\w.-]+)?: /.test(m);
}

describe('fuzzing the JSON model loader', () => {
  const docs = validDocuments();

  it('covers every model kind', () => {
    expect(Object.keys(docs).sort()).toEqual([...MODEL_KINDS].sort());
    for (const [kind, d] of Object.entries(docs)) expect(loadModel(JSON.stringify(d)).constructor.name.length, kind).toBeGreaterThan(0);
  });

  it('≥ 10 000 malformed documents: loaded, or a typed error of ours; no crash, hang or large allocation', () => {
    const rng = new Random(2026);
    const perKind = 1200;
    let cases = 0;
    let rejected = 0;
    let slowest = 0;
    const rssStart = process.memoryUsage().rss;
    let rssMax = rssStart;
    const failures: string[] = [];
    for (const [kind, doc] of Object.entries(docs)) {
      for (let i = 0; i < perKind; i++) {
        const text = mutate(doc, rng);
        const t0 = performance.now();
        try {
          loadModel(text);
        } catch (e) {
          rejected++;
          if (!isOurs(e) && failures.length < 10) failures.push(`${kind}: ${(e as Error).name}: ${(e as Error).message}\n  ${text.slice(0, 300)}`);
        }
        slowest = Math.max(slowest, performance.now() - t0);
        cases++;
        if ((cases & 255) === 0) rssMax = Math.max(rssMax, process.memoryUsage().rss);
      }
    }
    console.log(`model-document fuzz: ${cases} cases, ${rejected} rejected, slowest ${slowest.toFixed(1)} ms, RSS growth ${((rssMax - rssStart) / 2 ** 20).toFixed(0)} MiB`);
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(10_000);
    expect(slowest).toBeLessThan(2000);
    expect(rssMax - rssStart).toBeLessThan(512 * 2 ** 20);
  });
});

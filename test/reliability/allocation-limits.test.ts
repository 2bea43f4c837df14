/**
 * Every allocation sized by user input is checked against a documented limit (`LIMITS` in
 * src/validate.ts) before anything is allocated, with a `RangeError` naming the argument and
 * the limit (issue #15, "Bounded sizes and decompression", and its smaller findings). Each case
 * here failed on the main of 2026-12-03 with an engine error, a hang or a V8 abort.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { parseCsv, writeCsv } from '../../src/io/csv.js';
import { encodeIdx, parseIdx } from '../../src/io/idx.js';
import { zeros } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { IsingModel } from '../../src/models/ising.js';
import { RBM } from '../../src/models/rbm.js';
import { aisSchedule } from '../../src/models/rbm-ais.js';
import { type CliStream, runCli } from '../../src/node/cli/index.js';
import { createWasmPool } from '../../src/node/wasm-pool.js';
import { Random } from '../../src/random/random.js';
import { BoltzmannMachineTrainer } from '../../src/train/boltzmann-machine-trainer.js';
import { DBMTrainer } from '../../src/train/dbm-trainer.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';
import { checkElements, checkSize, LIMITS } from '../../src/validate.js';

const MAX = LIMITS.maxElements; // 268435456
const STEPS = LIMITS.maxSteps; // 16777216

/** The library's typed error format: `where: name must be … (got …)`, a RangeError (not an engine error). */
function expectLimit(f: () => unknown, where: string, name: string, limit: 'maxElements' | 'maxSteps' = 'maxElements'): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(RangeError);
  const msg = (err as Error).message;
  expect(msg.startsWith(`${where}: ${name} must be at most ${LIMITS[limit]}`)).toBe(true);
  expect(msg).toContain(`(LIMITS.${limit})`);
  expect(msg).toMatch(/\(got [^)]+\)$/);
}

describe('documented allocation limits', () => {
  it('LIMITS is frozen and documented values', () => {
    expect(LIMITS).toEqual({ maxElements: 2 ** 28, maxSteps: 2 ** 24 });
    expect(Object.isFrozen(LIMITS)).toBe(true);
    expect(checkSize('f', 'n', MAX)).toBe(MAX);
    expectLimit(() => checkSize('f', 'n', MAX + 1), 'f', 'n');
    expect(checkElements('f', 'a × b', 2 ** 14, 2 ** 14)).toBe(MAX);
    expect(() => checkElements('f', 'a × b', 2 ** 14, 2 ** 14 + 1)).toThrow(/^f: a × b must be at most 268435456 elements \(LIMITS.maxElements\) \(got 268451840\)$/);
  });

  it('model sizes: RBM(2^31, 1) and RBM(1e6, 1e6) fail at once, naming the argument', () => {
    const t0 = performance.now();
    expectLimit(() => new RBM(2 ** 31, 1), 'RBM', 'nVisible');
    expectLimit(() => new RBM(1e6, 1e6), 'RBM', 'nVisible × nHidden');
    expectLimit(() => new RBM(1, 1e12), 'RBM', 'nHidden');
    expectLimit(() => new BoltzmannMachine(20000, 20000), 'BoltzmannMachine', '(nVisible + nHidden + nLabels)²');
    expectLimit(() => new DBM([1e5, 1e5, 10]), 'DBM', 'sizes[0] × sizes[1]');
    expectLimit(() => new DBN([10, 1e5, 1e5]), 'DBN', 'sizes[1] × sizes[2]');
    expectLimit(() => new HopfieldNetwork(1e5), 'HopfieldNetwork', 'n²');
    expectLimit(() => new IsingModel(20000), 'IsingModel', 'L²');
    expect(performance.now() - t0).toBeLessThan(1000); // nothing was allocated or filled
    expect(new RBM(3, 2).weights.data.length).toBe(6);
  });

  it('zeros(1e6, 1e6), aisSchedule(1e12) and evolve({ maxSweeps: 1e15 })', () => {
    expectLimit(() => zeros(1e6, 1e6), 'zeros', 'rows × cols');
    expect(zeros(2, 3).data.length).toBe(6);
    expectLimit(() => aisSchedule(1e12), 'aisSchedule', 'a + b + c + 1', 'maxSteps');
    expect(aisSchedule(5, 40, 100).length).toBe(146);
    const net = new HopfieldNetwork(4);
    expectLimit(() => net.evolve(Float64Array.of(1, -1, 1, -1), { maxSweeps: 1e15 }), 'HopfieldNetwork.evolve', 'maxSweeps', 'maxSteps');
    expect(net.evolve(Float64Array.of(1, -1, 1, -1), { maxSweeps: STEPS }).converged).toBe(true);
  });

  it('sample(n) with n past the limit, before drawing', () => {
    expectLimit(() => new RBM(4, 3).sample(1e9), 'RBM.sample', 'n');
    expectLimit(() => new RBM(784, 500).sample(1e6), 'RBM.sample', 'n × (nVisible + nHidden)');
    expectLimit(() => new BoltzmannMachine(3, 1).sample(1e9), 'BoltzmannMachine.sample', 'n');
    expectLimit(() => new DBM([4, 3, 2]).sample(1e9), 'DBM.sample', 'n');
    expectLimit(() => new DBN([4, 3]).sample(1e8), 'DBN.sample', 'n × units');
    expectLimit(() => new HopfieldNetwork(4).sample(1e8), 'HopfieldNetwork.sample', 'n × dimension');
    expectLimit(() => new IsingModel(8).sample(1e7), 'IsingModel.sample', 'n × L²');
    expect(new RBM(4, 3).sample(2, { steps: 1 }).rows).toBe(2);
  });

  it('trainer batchSize / nChains 1e9', () => {
    const rbm = new RBM(4, 3);
    expectLimit(() => new RBMTrainer(rbm, { batchSize: 1e9 }), 'RBMTrainer', 'batchSize');
    expectLimit(() => new RBMTrainer(rbm, { method: 'pcd', nChains: 1e9 }), 'RBMTrainer', 'nChains');
    expectLimit(() => new RBMTrainer(rbm, { batchSize: 2 ** 27 }), 'RBMTrainer', 'batchSize × (nVisible + nHidden)');
    const dbm = new DBM([4, 3, 2]);
    expectLimit(() => new DBMTrainer(dbm, { batchSize: 1e9 }), 'DBMTrainer', 'batchSize');
    expectLimit(() => new DBMTrainer(dbm, { nChains: 1e9 }), 'DBMTrainer', 'nChains');
    expectLimit(() => new BoltzmannMachineTrainer(new BoltzmannMachine(3, 1), { batchSize: 1e9 }), 'BoltzmannMachineTrainer', 'batchSize');
    expect(new RBMTrainer(rbm, { batchSize: 7 }).batchSize).toBe(7);
  });

  it('the command line: --batch-size / --hidden 1e9 exit 2 with the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-limits-'));
    try {
      const data = join(dir, 'x.csv');
      writeFileSync(data, '0,1,0,1\n1,0,1,0\n0,0,1,1\n');
      for (const flag of ['--batch-size', '--hidden', '--epochs']) {
        let err = '';
        const stream = (w: (s: string) => void): CliStream => ({
          isTTY: false,
          write: (s: string) => {
            w(s);
            return true;
          },
        });
        const code = await runCli(['train', 'rbm', '--data', data, flag, '1000000000', '--out', join(dir, 'm.json')], {
          stdout: stream(() => {}),
          stderr: stream((s) => {
            err += s;
          }),
          env: {},
        });
        expect(code).toBe(2);
        expect(err).toContain(`${flag} must be at most 268435456 (LIMITS.maxElements)`);
      }
      // within the flag's limit, but the weight matrix (4 × 1e8) is not: the library's RangeError, exit 2
      let err = '';
      const code = await runCli(['train', 'rbm', '--data', data, '--hidden', '100000000', '--out', join(dir, 'm.json')], {
        stdout: { isTTY: false, write: () => true },
        stderr: {
          isTTY: false,
          write: (s: string) => {
            err += s;
            return true;
          },
        },
        env: {},
      });
      expect(code).toBe(2);
      expect(err).toContain('RBM: nVisible × nHidden must be at most 268435456 elements (LIMITS.maxElements) (got 400000000)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writeCsv({ rows: 1e300, cols: 0 }) is a typed RangeError, not a V8 abort; output past the string limit too', () => {
    expectLimit(() => writeCsv({ rows: 1e300, cols: 0, data: new Float64Array(0) }), 'writeCsv', 'data.rows');
    expectLimit(() => writeCsv({ rows: 0, cols: 2 ** 40, data: new Float64Array(0) }), 'writeCsv', 'data.cols');
    expect(writeCsv({ rows: 2, cols: 0, data: new Float64Array(0) })).toBe('\n\n');
    // 2^25 values of 17+ characters: past 2^29 − 24 characters, refused while writing (not "Invalid string length")
    const big = { rows: 2 ** 15, cols: 2 ** 10, data: new Float64Array(2 ** 25).fill(1 / 3) };
    expect(() => writeCsv(big)).toThrow(/^writeCsv: data must fit in one string of at most 536870888 characters/);
  });

  it('parseCsv on bytes past the engine string limit: a RangeError about size, not "not valid UTF-8"', () => {
    const bytes = new Uint8Array(2 ** 29); // zero pages: cheap
    expect(() => parseCsv(bytes)).toThrow(RangeError);
    expect(() => parseCsv(bytes)).toThrow(/^parseCsv: input must decode to at most 536870888 characters/);
    expect(() => parseCsv(Uint8Array.of(0xff, 0x31))).toThrow(FormatError);
  });
});

describe('smaller findings', () => {
  it('parseIdx(readFileSync(f)) returns fresh arrays of the declared length, never views into Node’s buffer pool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-idx-'));
    try {
      const f8 = join(dir, 'a');
      writeFileSync(f8, encodeIdx({ type: 'int8', dims: [3], data: [-1, 2, -3] }));
      const fu = join(dir, 'b');
      writeFileSync(fu, encodeIdx({ type: 'uint8', dims: [2, 2], data: [1, 2, 3, 4] }));
      const i8 = parseIdx(readFileSync(f8));
      expect(i8.data).toBeInstanceOf(Int8Array);
      expect(i8.data.length).toBe(3);
      expect(i8.data.buffer.byteLength).toBe(3);
      expect(Array.from(i8.data)).toEqual([-1, 2, -3]);
      const buf = readFileSync(fu);
      const u8 = parseIdx(buf);
      expect(u8.data.buffer.byteLength).toBe(4);
      expect(u8.data.buffer).not.toBe(buf.buffer);
      u8.data[0] = 99;
      expect(buf[12]).toBe(1); // the caller's bytes are untouched
      expect(Object.getPrototypeOf(u8.data)).toBe(Uint8Array.prototype);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Random.sampleBernoulli: typed errors for null / strings / bad probabilities, before drawing', () => {
    const r = new Random(3);
    const out = new Float64Array(1);
    expect(() => r.sampleBernoulli(out, null as never)).toThrow(/^Random.sampleBernoulli: probs must be an array or typed array of probabilities \(got null\)$/);
    expect(() => r.sampleBernoulli(out, 'x' as never)).toThrow(TypeError);
    expect(() => r.sampleBernoulli(null as never, [0.5])).toThrow(/^Random.sampleBernoulli: out must be a Float64Array \(got null\)$/);
    for (const p of [Number.NaN, 2, -1]) {
      expect(() => r.sampleBernoulli(out, [p])).toThrow(new RangeError(`Random.sampleBernoulli: probs[0] must be in [0, 1] (got ${p})`));
    }
    expect(() => r.sampleBernoulli(out, ['0.5'] as never)).toThrow(TypeError);
    const fresh = new Random(3);
    expect(r.float64()).toBe(fresh.float64()); // the failed calls drew nothing
    expect(Array.from(new Random(1).sampleBernoulli(new Float64Array(3), [0, 1, 1]))).toEqual([0, 1, 1]);
  });

  it('createWasmPool(null) and bad option values are typed errors', async () => {
    await expect(createWasmPool(null as never)).rejects.toThrow(/^createWasmPool: options must be an object \(got null\)$/);
    await expect(createWasmPool({ threads: '2' } as never)).rejects.toThrow(TypeError);
    await expect(createWasmPool({ minParallelWork: Number.NaN })).rejects.toThrow(/^createWasmPool: options.minParallelWork must be a finite number/);
    await expect(createWasmPool({ thread: 2 } as never)).rejects.toThrow(/^createWasmPool: unknown option/);
  });

  it('info on a document nested 10 000 levels deep: a FormatError, no stack overflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-deep-'));
    try {
      const f = join(dir, 'deep.json');
      writeFileSync(f, `{"format":"boltzmann","kind":"rbm","version":1,"config":${'['.repeat(10000)}${']'.repeat(10000)},"tensors":{}}`);
      let err = '';
      const stream = (w: (s: string) => void): CliStream => ({
          isTTY: false,
          write: (s: string) => {
            w(s);
            return true;
          },
        });
      const code = await runCli(['info', f], {
        stdout: stream(() => {}),
        stderr: stream((s) => {
          err += s;
        }),
        env: {},
      });
      expect(code).toBe(1);
      expect(err).toMatch(/info: .*deep\.json is nested 101 levels deep, more than a model document's 100/);
      expect(err).not.toMatch(/call stack/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

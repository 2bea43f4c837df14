/**
 * Seeded pseudo-random numbers for every stochastic routine in `boltzmann`.
 *
 * Engine: xoroshiro128+ (Blackman & Vigna, 2018), from the `pure-rand`
 * package, seeded from a 53-bit integer through SplitMix64 as its authors
 * recommend. Doubles take the high 27 + 26 bits of two outputs (the low bits of
 * xoroshiro128+ are its weakest), giving uniform multiples of 2⁻⁵³ in [0, 1).
 *
 * Same seed, same numbers, in Node and in browsers: only 32-bit integer
 * arithmetic and IEEE doubles are involved. No `Math.random` anywhere.
 * @module
 */
import { type xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { log } from '../math/elementary.js';
import { checkFinite, checkNonNegative, checkSize, checkVector } from '../validate.js';

/** The most independent streams {@link Random.streams} makes at once (2²⁰). @internal */
export const MAX_STREAMS = 2 ** 20;

type Engine = ReturnType<typeof xoroshiro128plus>;

/** Anything indexable and writable with a length: arrays and typed arrays.
 * @category Sampling
 */
export interface MutableArrayLike {
  /** Number of elements. */
  readonly length: number;
  /** Element access. */
  [index: number]: unknown;
}

/**
 * The full, JSON-serialisable state of a {@link Random}: the four 32-bit words
 * of the xoroshiro128+ state (`[hi(s0), lo(s0), hi(s1), lo(s1)]`, signed) and
 * the cached second normal deviate of the polar method, if any.
 * @category Sampling
 */
export interface RandomState {
  /** Always `'xoroshiro128+'`. */
  readonly algorithm: 'xoroshiro128+';
  /** Engine words `[hi(s0), lo(s0), hi(s1), lo(s1)]` as signed 32-bit integers. */
  readonly words: readonly [number, number, number, number];
  /** The spare normal deviate, or `null`. */
  readonly spareNormal: number | null;
}

const TWO_POW_26 = 67108864;
const TWO_POW_M53 = 1 / 9007199254740992;
const MASK64 = (1n << 64n) - 1n;

/**
 * SplitMix64 (Steele, Lea & Flood 2014): the reference seeding sequence.
 *
 * @param seed - the starting state (a bigint; taken modulo 2⁶⁴)
 * @param count - how many outputs (an integer in [0, `LIMITS.maxSteps`])
 * @returns `count` 64-bit outputs
 * @throws {TypeError} when `seed` is not a bigint or `count` not a number
 * @throws {RangeError} when `count` is not an integer in [0, `LIMITS.maxSteps`]
 * @example
 * ```ts
 * import { splitMix64 } from 'boltzmann/base';
 * splitMix64(0n, 1)[0].toString(16); // 'e220a8397b1dcdaf'
 * ```
 * @category Sampling
 */
export function splitMix64(seed: bigint, count: number): bigint[] {
  if (typeof seed !== 'bigint') throw new TypeError(`splitMix64: seed must be a bigint (got ${describeValue(seed)})`);
  checkSize('splitMix64', 'count', count, 0, 'maxSteps');
  let x = seed & MASK64;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & MASK64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    out.push(z ^ (z >> 31n));
  }
  return out;
}

function toInt32(x: bigint): number {
  return Number(BigInt.asIntN(32, x));
}

/**
 * A seeded generator. All draws mutate it; {@link Random.clone} and
 * {@link Random.getState} let a caller branch or save it.
 *
 * @example
 * ```ts
 * import { Random } from 'boltzmann';
 * const rng = new Random(42);
 * rng.float64();   // uniform in [0, 1)
 * rng.normal();    // standard normal
 * rng.int(6);      // 0..5 without modulo bias
 * ```
 * @category Sampling
 */
export class Random {
  private engine: Engine;
  private spare: number | null = null;

  /**
   * @param seed - an integer in `[0, 2⁵³)`; SplitMix64 expands it into the 128-bit state.
   * @throws {TypeError | RangeError} when `seed` is not such an integer
   */
  constructor(seed: number) {
    if (typeof seed !== 'number') {
      throw new TypeError(`Random: seed must be an integer in [0, 2^53) (got ${describeValue(seed)})`);
    }
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`Random: seed must be an integer in [0, 2^53) (got ${describeValue(seed)})`);
    }
    const [s0, s1] = splitMix64(BigInt(seed), 2) as [bigint, bigint];
    this.engine = xoroshiro128plusFromState([toInt32(s0 >> 32n), toInt32(s0), toInt32(s1 >> 32n), toInt32(s1)]);
  }

  /**
   * Rebuilds a generator from {@link Random.getState} output.
   *
   * @throws {FormatError} when the state is malformed
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const a = new Random(1); const saved = a.getState();
   * const x = a.float64();
   * Random.fromState(saved).float64() === x; // true
   * ```
   */
  static fromState(state: RandomState): Random {
    const r = new Random(0);
    r.setState(state);
    return r;
  }

  /**
   * A snapshot of the full state (JSON-serialisable).
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * JSON.stringify(new Random(1).getState()); // save it with a model to resume exactly
   * ```
   */
  getState(): RandomState {
    const w = this.engine.getState();
    return {
      algorithm: 'xoroshiro128+',
      words: [w[0] as number, w[1] as number, w[2] as number, w[3] as number],
      spareNormal: this.spare,
    };
  }

  /**
   * Restores a state produced by {@link Random.getState}.
   *
   * @throws {FormatError} when the state is malformed or all-zero
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const a = new Random(1);
   * const saved = a.getState();
   * const x = a.float64();
   * a.setState(saved);
   * a.float64() === x; // true
   * ```
   */
  setState(state: RandomState): void {
    const s = state as unknown as Record<string, unknown>;
    if (s === null || typeof s !== 'object' || s.algorithm !== 'xoroshiro128+') {
      throw new FormatError(`Random.setState: state.algorithm must be 'xoroshiro128+'`);
    }
    const w = s.words;
    if (
      !Array.isArray(w) ||
      w.length !== 4 ||
      !w.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff)
    ) {
      throw new FormatError('Random.setState: state.words must be four signed 32-bit integers');
    }
    if (w.every((x) => x === 0)) throw new FormatError('Random.setState: the all-zero state is invalid');
    const spare = s.spareNormal;
    if (spare !== null && spare !== undefined && (typeof spare !== 'number' || !Number.isFinite(spare))) {
      throw new FormatError('Random.setState: state.spareNormal must be a finite number or null');
    }
    this.engine = xoroshiro128plusFromState(w as number[]);
    this.spare = (spare as number | null | undefined) ?? null;
  }

  /**
   * An independent copy that will produce the same sequence.
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const a = new Random(5);
   * const b = a.clone();
   * a.float64() === b.float64(); // true
   * ```
   */
  clone(): Random {
    return Random.fromState(this.getState());
  }

  /**
   * Advances the generator by 2⁶⁴ draws (the xoroshiro128+ jump polynomial).
   * Returns `this`.
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const far = new Random(3).jump(); // 2⁶⁴ draws further on
   * far.float64();
   * ```
   */
  jump(): this {
    this.engine.jump();
    this.spare = null;
    return this;
  }

  /**
   * `n` non-overlapping streams for parallel chains or workers: stream `i`
   * starts `(i + 1) · 2⁶⁴` draws after this generator's current position and
   * may use up to 2⁶⁴ draws without meeting another. Stream `i` does not
   * depend on `n`, so results do not depend on how many chains ran. This
   * generator is left unchanged.
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const [a, b] = new Random(7).streams(2);
   * a.float64() !== b.float64(); // true (independent streams)
   * ```
   */
  streams(n: number): Random[] {
    if (typeof n !== 'number') throw new TypeError(`Random.streams: n must be a non-negative integer (got ${describeValue(n)})`);
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`Random.streams: n must be a non-negative integer (got ${describeValue(n)})`);
    }
    // one generator object each: past this a caller's count (chains, runs, replicas) is a mistake,
    // refused here rather than left to exhaust the heap (a fatal error no catch can stop)
    if (n > MAX_STREAMS) throw new RangeError(`Random.streams: n must be at most ${MAX_STREAMS} (one generator per chain, run or replica; got ${describeValue(n)})`);
    const out: Random[] = [];
    const cur = this.clone();
    cur.spare = null;
    for (let i = 0; i < n; i++) {
      cur.jump();
      out.push(cur.clone());
    }
    return out;
  }

  /**
   * A new generator seeded from 53 bits of this one (through SplitMix64), for
   * hierarchical splitting where jump-based streams could meet. Advances this
   * generator by two draws.
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const parent = new Random(9);
   * const child = parent.split();
   * child.float64() !== parent.float64(); // true
   * ```
   */
  split(): Random {
    const hi = this.engine.next() >>> 11; // 21 bits
    const lo = this.engine.next() >>> 0; // 32 bits
    return new Random(hi * 4294967296 + lo);
  }

  /**
   * A uniform 32-bit unsigned integer in `[0, 2³²)`.
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const u = new Random(1).uint32();
   * Number.isInteger(u) && u >= 0 && u < 2 ** 32; // true
   * ```
   */
  uint32(): number {
    return this.engine.next() >>> 0;
  }

  /**
   * A uniform double in `[0, 1)`, a multiple of 2⁻⁵³ (53 random bits).
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const x = new Random(1).float64();
   * x >= 0 && x < 1; // true
   * ```
   */
  float64(): number {
    const a = this.engine.next() >>> 5;
    const b = this.engine.next() >>> 6;
    return (a * TWO_POW_26 + b) * TWO_POW_M53;
  }

  /**
   * A uniform double in `[lo, hi)`.
   *
   * @throws {TypeError | RangeError} when `lo` or `hi` is not a finite number (nothing is drawn)
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const x = new Random(1).uniform(-1, 1);
   * x >= -1 && x < 1; // true
   * ```
   */
  uniform(lo: number, hi: number): number {
    checkFinite('Random.uniform', 'lo', lo);
    checkFinite('Random.uniform', 'hi', hi);
    return lo + (hi - lo) * this.float64();
  }

  /**
   * A uniform integer in `[0, n)`, without modulo bias (rejection of the top `2³² mod n`
   * values for n ≤ 2³², rejection on 53-bit doubles above).
   *
   * @throws {TypeError} when `n` is not a number (nothing is drawn)
   * @throws {RangeError} when `n` is not an integer in `[1, 2⁵³]` (nothing is drawn)
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const die = new Random(1).int(6) + 1; // 1 … 6, each with probability 1/6
   * ```
   */
  int(n: number): number {
    if (!(typeof n === 'number' && n >= 1 && n <= 9007199254740992 && Number.isInteger(n))) {
      const msg = `Random.int: n must be an integer in [1, 2^53] (got ${describeValue(n)})`;
      throw typeof n === 'number' ? new RangeError(msg) : new TypeError(msg);
    }
    if (n <= 4294967296) {
      // Reject the top 2^32 mod n values so every residue is equally likely.
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const x = this.engine.next() >>> 0;
        if (x < limit) return x % n;
      }
    }
    const limit = Math.floor(9007199254740992 / n) * n;
    for (;;) {
      const x = this.float64() * 9007199254740992;
      if (x < limit) return x % n;
    }
  }

  /**
   * `1` with probability `p`, else `0`. (`p` outside [0, 1] saturates.)
   *
   * @throws {TypeError} when `p` is not a number; {RangeError} when it is NaN (nothing is drawn)
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * new Random(1).bernoulli(0.3); // 1 with probability 0.3, else 0
   * ```
   */
  bernoulli(p: number): number {
    if (typeof p !== 'number' || Number.isNaN(p)) {
      const msg = `Random.bernoulli: p must be a number other than NaN (got ${describeValue(p)})`;
      throw typeof p === 'number' ? new RangeError(msg) : new TypeError(msg);
    }
    return this.float64() < p ? 1 : 0;
  }

  /**
   * A standard normal deviate (Marsaglia's polar method; the spare is cached in the state).
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const z = new Random(1).normal(); // mean 0, standard deviation 1
   * ```
   */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.float64() - 1;
      const v = 2 * this.float64() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /**
   * Fills `out` with uniform doubles in `[0, 1)` and returns it.
   *
   * @throws {TypeError} when `out` is not a Float64Array (nothing is drawn)
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * new Random(1).fillUniform(new Float64Array(3)).length; // 3
   * ```
   */
  fillUniform(out: Float64Array): Float64Array {
    checkVector('Random.fillUniform', 'out', out);
    for (let i = 0; i < out.length; i++) out[i] = this.float64();
    return out;
  }

  /**
   * Fills `out` with normal deviates of the given mean and standard deviation.
   *
   * @throws {TypeError | RangeError} when `out` is not a Float64Array, `mean` not a finite number or `std` not a finite number ≥ 0 (nothing is drawn)
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * const w = new Random(1).fillNormal(new Float64Array(784 * 500), 0, 0.01); // RBM initial weights
   * ```
   */
  fillNormal(out: Float64Array, mean = 0, std = 1): Float64Array {
    checkVector('Random.fillNormal', 'out', out);
    checkFinite('Random.fillNormal', 'mean', mean);
    checkNonNegative('Random.fillNormal', 'std', std);
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /**
   * Samples independent Bernoulli variables: `out[i] = 1` with probability
   * `probs[i]`, else `0`. The hot loop of every binary sampler.
   *
   * Checked before any number is drawn (the generator is left unchanged on an error).
   *
   * @throws {TypeError} when `out` is not a Float64Array, `probs` not an array or typed array, or an entry not a number
   * @throws {RangeError} when a probability is outside [0, 1] or NaN (naming its index)
   * @throws {ShapeError} when the lengths differ
   *
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * Array.from(new Random(1).sampleBernoulli(new Float64Array(3), [0, 1, 1])); // [0, 1, 1]
   * ```
   */
  sampleBernoulli(out: Float64Array, probs: ArrayLike<number>): Float64Array {
    const where = 'Random.sampleBernoulli';
    if (!(out instanceof Float64Array)) throw new TypeError(`${where}: out must be a Float64Array (got ${describeValue(out)})`);
    if (!(Array.isArray(probs) || (ArrayBuffer.isView(probs) && !(probs instanceof DataView)))) {
      throw new TypeError(`${where}: probs must be an array or typed array of probabilities (got ${describeValue(probs)})`);
    }
    for (let i = 0; i < probs.length; i++) {
      const p = probs[i];
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
        if (typeof p !== 'number') throw new TypeError(`${where}: probs[${i}] must be a number in [0, 1] (got ${describeValue(p)})`);
        throw new RangeError(`${where}: probs[${i}] must be in [0, 1] (got ${describeValue(p)})`);
      }
    }
    if (out.length !== probs.length) {
      throw new ShapeError(`Random.sampleBernoulli: out and probs must have the same length (got ${out.length} and ${probs.length})`);
    }
    for (let i = 0; i < out.length; i++) out[i] = this.float64() < probs[i] ? 1 : 0;
    return out;
  }

  /**
   * Shuffles an array or typed array in place (Fisher–Yates) and returns it.
   *
   * @throws {TypeError} when `array` is not an object with a numeric `length`
   * @throws {RangeError} when its `length` is not an integer in [0, `LIMITS.maxElements`] (nothing is drawn)
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * new Random(1).shuffle([1, 2, 3, 4]).sort(); // [1, 2, 3, 4] (the same items, reordered)
   * ```
   */
  shuffle<T extends MutableArrayLike>(array: T): T {
    const where = 'Random.shuffle';
    if (array === null || typeof array !== 'object') {
      throw new TypeError(`${where}: array must be an array or typed array (got ${describeValue(array)})`);
    }
    checkSize(where, 'array.length', array.length, 0);
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /**
   * A uniformly random permutation of `0 … n−1`.
   *
   * @throws {TypeError} when `n` is not a number
   * @throws {RangeError} when `n` is not an integer in [0, `LIMITS.maxElements`] (nothing is allocated or drawn)
   * @example
   * ```ts
   * import { Random } from 'boltzmann';
   * Array.from(new Random(1).permutation(4)).sort(); // [0, 1, 2, 3]
   * ```
   */
  permutation(n: number): Uint32Array {
    checkSize('Random.permutation', 'n', n, 0);
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/**
 * Accepts a seed or a generator and returns a generator: a number makes a new
 * `Random(seed)`, a `Random` is returned as is (and will be advanced).
 *
 * @throws {TypeError} for anything else, or when `where` (the name used in messages) is not a string
 * @example
 * ```ts
 * import { toRandom } from 'boltzmann';
 * toRandom(3).float64() === toRandom(3).float64(); // true
 * ```
 * @category Sampling
 */
export function toRandom(seedOrRng: number | Random, where = 'toRandom'): Random {
  if (typeof where !== 'string') throw new TypeError(`toRandom: where must be a string (got ${describeValue(where)})`);
  if (seedOrRng instanceof Random) return seedOrRng;
  if (typeof seedOrRng === 'number') {
    try {
      return new Random(seedOrRng);
    } catch {
      throw new RangeError(`${where}: seed must be an integer in [0, 2^53) or a Random (got ${describeValue(seedOrRng)})`);
    }
  }
  throw new TypeError(`${where}: rng must be a seed (integer) or a Random (got ${describeValue(seedOrRng)})`);
}

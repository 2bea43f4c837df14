/**
 * Command-line argument parsing: flags (`--name value`, `--name=value`,
 * boolean `--name`, `-h`), positionals, and typed values. Every problem is one
 * {@link UsageError} (exit code 2) with the same shape of message, and an
 * unknown flag gets the closest known one: `train: unknown option '--hiden'
 * (did you mean '--hidden'?)`.
 * @module
 */
import type { JsonValue } from '../../document.js';
import type { KindOption, KindOptionValues } from '../../io/registry.js';
import { closestKey, LIMITS } from '../../validate.js';

/**
 * A usage problem: an unknown command, flag or kind, or a bad value (the
 * command line reports it on one line and exits with code 2).
 *
 * @example
 * ```ts
 * import { UsageError } from 'boltzmann/node';
 * new UsageError('train: --out <model.json> is required').name; // 'UsageError'
 * ```
 * @category Data & files
 */
export class UsageError extends Error {
  /** Always `'UsageError'`. */
  override name = 'UsageError';
}

/** How a flag is written: with a value (`--epochs 5`) or alone (`--quiet`).
 * @category Data & files
 */
export interface FlagSpec {
  /** `'string'`: takes a value; `'boolean'`: a switch. */
  readonly type: 'string' | 'boolean';
  /** One-letter form, e.g. `'h'` for `-h`. */
  readonly short?: string;
}

/** Flags by name (without the dashes).
 * @category Data & files
 */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Parsed flags: a string for flags with a value, `true` for switches, undefined when absent.
 * @category Data & files
 */
export type Values = Record<string, string | boolean | undefined>;

/** Flags every command takes.
 * @category Data & files
 */
export const GLOBAL_FLAGS: FlagSpecs = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
};

/** The data flags (`--data` and its companions).
 * @category Data & files
 */
export const DATA_FLAGS: FlagSpecs = {
  data: { type: 'string' },
  'data-dir': { type: 'string' },
  limit: { type: 'string' },
  binarize: { type: 'string' },
  threshold: { type: 'string' },
};

function unknownFlag(cmd: string, flag: string, names: readonly string[]): UsageError {
  const near = closestKey(flag, names);
  const hint = near === undefined ? `see boltzmann ${cmd} --help` : `did you mean '--${near}'?`;
  return new UsageError(`${cmd}: unknown option '${flag.length === 1 ? '-' : '--'}${flag}' (${hint})`);
}

/**
 * Parses `args` against `flags` (plus {@link GLOBAL_FLAGS}). A flag that takes
 * a value takes the next argument whatever it looks like (`--lr -1` reads -1),
 * `--` ends the flags, and a lone `-` is a positional.
 *
 * @param cmd - the command, for messages
 * @param args - the arguments after the command
 * @param flags - the flags it takes
 * @returns the values and the positionals
 * @throws {UsageError} on an unknown flag (with the closest known one), a missing value, or a value given to a switch
 * @category Data & files
 */
export function parseFlags(cmd: string, args: readonly string[], flags: FlagSpecs): { values: Values; positionals: string[] } {
  const specs: Record<string, FlagSpec> = { ...GLOBAL_FLAGS, ...flags };
  const names = Object.keys(specs);
  const shorts = new Map<string, string>();
  for (const [name, s] of Object.entries(specs)) if (s.short !== undefined) shorts.set(s.short, name);
  const values: Values = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.length < 2 || !a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
      if (!Object.hasOwn(specs, name)) throw unknownFlag(cmd, name, names);
    } else {
      const short = a.slice(1);
      const long = shorts.get(short);
      if (long === undefined) throw unknownFlag(cmd, short, names);
      name = long;
    }
    const spec = specs[name] as FlagSpec;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`${cmd}: --${name} takes no value (got ${JSON.stringify(inline)})`);
      values[name] = true;
    } else if (inline !== undefined) {
      values[name] = inline;
    } else {
      const next = args[i + 1];
      if (next === undefined) throw new UsageError(`${cmd}: --${name} needs a value`);
      values[name] = next;
      i++;
    }
  }
  return { values, positionals };
}

/** The string value of a flag, or undefined.
 * @category Data & files
 */
export function str(v: Values, name: string): string | undefined {
  const s = v[name];
  return typeof s === 'string' ? s : undefined;
}

/** Decimal digits only (an optional leading `-`): `Number()` alone would also take `0x10`, `1e3`, ` 16` or `0b1`. */
const DECIMAL_INT_RE = /^-?[0-9]+$/;

/** An integer flag ≥ `min`, or `dflt` when absent; only decimal digits are accepted (`0x10`, `1e3`, ` 16` are usage errors).
 * @category Data & files
 */
export function intOpt(v: Values, name: string, dflt: number, min = 1): number {
  const s = v[name];
  if (s === undefined) return dflt;
  const n = Number(s);
  if (typeof s !== 'string' || !DECIMAL_INT_RE.test(s) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(s)})`);
  }
  // sizes, counts and steps are capped at the library's documented limit (a seed is any safe integer)
  if (n > LIMITS.maxElements && name !== 'seed') {
    throw new UsageError(`--${name} must be at most ${LIMITS.maxElements} (LIMITS.maxElements) (got ${JSON.stringify(s)})`);
  }
  return n;
}

/** A number flag in `[lo, hi]` (or `[lo, hi)`), or `dflt` when absent.
 * @category Data & files
 */
export function numOpt(v: Values, name: string, dflt: number, lo: number, hi: number, hiOpen = false): number {
  const s = v[name];
  if (s === undefined) return dflt;
  const n = Number(s);
  if (typeof s !== 'string' || s.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (hiOpen && n === hi)) {
    throw new UsageError(`--${name} must be a number in [${lo}, ${hi}${hiOpen ? ')' : ']'} (got ${JSON.stringify(s)})`);
  }
  return n;
}

/** A flag that is one of `choices`, or `dflt` when absent.
 * @category Data & files
 */
export function oneOf<T extends string>(v: Values, name: string, choices: readonly T[], dflt: T): T {
  const s = v[name];
  if (s === undefined) return dflt;
  if (!choices.includes(s as T)) {
    const near = typeof s === 'string' ? closestKey(s, choices) : undefined;
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(s)}${near === undefined ? '' : `; did you mean '${near}'?`})`);
  }
  return s as T;
}

/** The flags of a list of kind options.
 * @category Data & files
 */
export function kindFlags(options: readonly KindOption[] | undefined): FlagSpecs {
  const out: Record<string, FlagSpec> = {};
  for (const o of options ?? []) out[o.name] = { type: o.type === 'boolean' ? 'boolean' : 'string' };
  return out;
}

/** How each option type is read from its flag. */
const READERS: Readonly<Record<KindOption['type'], (v: Values, o: KindOption) => JsonValue>> = {
  boolean: (v, o) => (v[o.name] === true ? true : ((o.default as boolean | undefined) ?? false)),
  int: (v, o) => (v[o.name] === undefined ? ((o.default as number | undefined) ?? null) : intOpt(v, o.name, 0, o.min ?? 1)),
  number: (v, o) =>
    v[o.name] === undefined
      ? ((o.default as number | undefined) ?? null)
      : numOpt(v, o.name, 0, o.min ?? Number.NEGATIVE_INFINITY, o.max ?? Number.MAX_VALUE, o.maxOpen === true),
  choice: (v, o) => {
    const choices = o.choices ?? [];
    return v[o.name] === undefined ? ((o.default as string | undefined) ?? null) : oneOf(v, o.name, choices, choices[0] as string);
  },
  ints: (v, o) => {
    const s = v[o.name];
    if (s === undefined) return o.default === undefined ? null : [...(o.default as readonly number[])];
    const text = String(s);
    const parts = text.split(',').map((x) => x.trim());
    const list = parts.map((x) => Number(x));
    if (parts.some((x) => !DECIMAL_INT_RE.test(x)) || list.some((n) => !Number.isSafeInteger(n) || n < (o.min ?? 1))) {
      throw new UsageError(`--${o.name} must be comma-separated integers ≥ ${o.min ?? 1}, e.g. 500,200 (got ${JSON.stringify(text)})`);
    }
    if (list.length < (o.minItems ?? 1) || list.length > (o.maxItems ?? Number.POSITIVE_INFINITY)) {
      const range = o.maxItems === undefined ? `at least ${o.minItems ?? 1}` : o.minItems === o.maxItems ? `${o.maxItems}` : `${o.minItems ?? 1} to ${o.maxItems}`;
      throw new UsageError(`--${o.name} must give ${range} entries (got ${list.length})`);
    }
    return list;
  },
};

/**
 * Reads a kind's options from parsed flags: every declared option gets its
 * value, its default, or `null` (the library's default). An option that
 * `requires` a switch is refused without it.
 *
 * @throws {UsageError} on a bad value or a missing required switch
 * @category Data & files
 */
export function readKindOptions(cmd: string, v: Values, options: readonly KindOption[] | undefined): KindOptionValues {
  const out: Record<string, JsonValue> = {};
  for (const o of options ?? []) {
    if (o.requires !== undefined && v[o.name] !== undefined && v[o.requires] !== true) {
      throw new UsageError(`${cmd}: --${o.name} needs --${o.requires}`);
    }
    out[o.name] = READERS[o.type](v, o);
  }
  return out;
}

/**
 * Refuses flags that belong to other kinds: `train boltzmann-machine --k 2`
 * says `--k does not apply to boltzmann-machine`.
 *
 * @param cmd - the command, for messages
 * @param kind - the kind in use
 * @param v - the parsed flags
 * @param own - the kind's flags
 * @param all - every kind's flags for this command
 * @category Data & files
 */
export function refuseOtherKindsFlags(cmd: string, kind: string, v: Values, own: FlagSpecs, all: FlagSpecs): void {
  for (const f of Object.keys(all)) {
    if (v[f] !== undefined && !Object.hasOwn(own, f)) throw new UsageError(`${cmd}: --${f} does not apply to ${kind} (see boltzmann ${cmd.split(' ')[0]} --help)`);
  }
}

/** The one model file a command takes.
 * @category Data & files
 */
export function modelArg(cmd: string, positionals: string[]): string {
  const p = positionals[0];
  if (p === undefined) throw new UsageError(`${cmd}: which model file? (boltzmann ${cmd} <model.json>)`);
  if (positionals.length > 1) throw new UsageError(`${cmd}: unexpected argument '${positionals[1]}'`);
  return p;
}

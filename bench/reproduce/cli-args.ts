/**
 * The command-line flags of the reproduction scripts (rbm-paper, dbn-paper, dbm-paper,
 * reevaluate, replot): `--name value` pairs and bare `--name` switches.
 */

/** Flag readers over `argv`; errors name `script` and the flag. */
export function scriptArgs(script: string, argv: readonly string[] = process.argv.slice(2)) {
  const args = argv;
  /** Whether `--n` was given. */
  const has = (n: string): boolean => args.includes(`--${n}`);
  /** The value after `--n`, or `d` when it is absent. */
  const str = (n: string, d: string): string => {
    const i = args.indexOf(`--${n}`);
    return i >= 0 && i + 1 < args.length ? (args[i + 1] as string) : d;
  };
  /** The integer after `--n` (default `d`), at least `min`. */
  const int = (n: string, d: number, min = 1): number => {
    const v = Number(str(n, String(d)));
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${script}: --${n} must be an integer ≥ ${min} (got ${str(n, '')})`);
    return v;
  };
  return { args, has, str, int };
}

import { describe, expect, it } from 'vitest';
import type { KindOption } from '../../src/io/registry.js';
import { parseFlags, readKindOptions, UsageError } from '../../src/node/cli/args.js';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';

async function cli(args: string[]) {
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const flags = { hidden: { type: 'string' }, quiet: { type: 'boolean' }, lr: { type: 'string' } } as const;

describe('command-line argument parsing', () => {
  it('reads --name value, --name=value, switches, -h, -- and positionals', () => {
    expect(parseFlags('train', ['rbm', '--hidden', '5', '--lr=-0.5', '--quiet', '-h', '--', '--x'], flags)).toEqual({
      values: { hidden: '5', lr: '-0.5', quiet: true, help: true },
      positionals: ['rbm', '--x'],
    });
    expect(parseFlags('train', ['--lr', '-1'], flags).values.lr).toBe('-1'); // a value that looks like a flag
    expect(parseFlags('x', ['-'], flags).positionals).toEqual(['-']);
  });

  it('one typed usage error, with the closest flag for an unknown one', () => {
    const cases: [string[], RegExp][] = [
      [['--hiden', '5'], /^train: unknown option '--hiden' \(did you mean '--hidden'\?\)$/],
      [['--qiet'], /did you mean '--quiet'\?/],
      [['--zzzzzzzz'], /^train: unknown option '--zzzzzzzz' \(see boltzmann train --help\)$/],
      [['-x'], /^train: unknown option '-x'/],
      [['--hidden'], /^train: --hidden needs a value$/],
      [['--quiet=yes'], /^train: --quiet takes no value/],
    ];
    for (const [args, message] of cases) {
      expect(() => parseFlags('train', args, flags), args.join(' ')).toThrow(UsageError);
      expect(() => parseFlags('train', args, flags), args.join(' ')).toThrow(message);
    }
  });

  it('reads kind options from their declaration: defaults, library defaults (null), lists, choices, requires', () => {
    const opts: KindOption[] = [
      { name: 'layers', type: 'ints', default: [4, 2], minItems: 2, maxItems: 3, help: '' },
      { name: 'lr', type: 'number', default: 0.1, min: 0, max: 1, help: '' },
      { name: 'k', type: 'int', help: '' },
      { name: 'rule', type: 'choice', choices: ['hebbian', 'storkey'], default: 'hebbian', help: '' },
      { name: 'persistent', type: 'boolean', help: '' },
      { name: 'chains', type: 'int', requires: 'persistent', help: '' },
    ];
    expect(readKindOptions('train x', {}, opts)).toEqual({ layers: [4, 2], lr: 0.1, k: null, rule: 'hebbian', persistent: false, chains: null });
    expect(readKindOptions('train x', { layers: '5, 3,2', k: '3', rule: 'storkey', persistent: true, chains: '4' }, opts)).toMatchObject({
      layers: [5, 3, 2],
      k: 3,
      rule: 'storkey',
      chains: 4,
    });
    expect(() => readKindOptions('train x', { layers: '5' }, opts)).toThrow(/--layers must give 2 to 3 entries \(got 1\)/);
    expect(() => readKindOptions('train x', { layers: '5,x' }, opts)).toThrow(/--layers must be comma-separated integers/);
    expect(() => readKindOptions('train x', { lr: '2' }, opts)).toThrow(/--lr must be a number in \[0, 1\]/);
    expect(() => readKindOptions('train x', { rule: 'storky' }, opts)).toThrow(/did you mean 'storkey'\?/);
    expect(() => readKindOptions('train x', { chains: '3' }, opts)).toThrow(/^train x: --chains needs --persistent$/);
  });
});

describe('command line: program-level flags and suggestions', () => {
  it('--debug and -h may come before the command; --version prints the version', async () => {
    const h = await cli(['-h', 'train']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: boltzmann train <hopfield\|boltzmann-machine\|rbm\|dbn\|dbm\|dense-associative-memory>/);
    const d = await cli(['--debug', 'info', '/nonexistent/model.json']);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/^boltzmann: error: no such file/);
    expect(d.stderr).toMatch(/\n\s+at /); // --debug took effect
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('unknown commands, flags and kinds get the closest name', async () => {
    const cases: [string[], RegExp][] = [
      [['trian'], /unknown command 'trian' \(did you mean 'train'\?\)/],
      [['--hlep'], /unknown option '--hlep' before the command \(did you mean '--help'\?\)/],
      [['train', 'rbm', '--hiden', '4'], /train: unknown option '--hiden' \(did you mean '--hidden'\?\)/],
      [['train', 'hopfeild', '--data', 'x'], /train: unknown model 'hopfeild' \(one of .*; did you mean 'hopfield'\?\)/],
      [['train', 'bm', '--data', 'x'], /train: unknown model 'bm'/], // one name per kind
      [['train', 'ising', '--data', 'x'], /train: unknown model 'ising'/], // loadable, not trainable here
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('help lists every trainable kind with its declared options', async () => {
    const r = await cli(['help', 'train']);
    for (const k of ['rbm', 'hopfield', 'boltzmann-machine', 'dbn', 'dbm']) expect(r.stdout).toMatch(new RegExp(`^${k} — `, 'm'));
    expect(r.stdout).toMatch(/--hidden <n> +hidden units \(default 64\)/);
    expect(r.stdout).toMatch(/--rule <hebbian\|storkey\|pseudo-inverse>/);
    expect((await cli(['help', 'eval'])).stdout).toMatch(/--noise <x>/);
  });
});

describe('integer flags', () => {
  it('accept only decimal digits: 0x10, 1e3, a leading space, 0b1 or 1.0 are usage errors naming the flag', async () => {
    for (const bad of ['0x10', '1e3', ' 16', '16 ', '0b1', '1.0', '+4', '']) {
      const r = await cli(['train', 'rbm', '--data', 'nothing.csv', '--hidden', bad, '--out', '/nonexistent/m.json']);
      expect(r.code, JSON.stringify(bad)).toBe(2);
      expect(r.stderr, JSON.stringify(bad)).toMatch(/usage error: .*--hidden must be/);
    }
    const list = await cli(['train', 'dbn', '--data', 'nothing.csv', '--layers', '0x10,4', '--out', '/nonexistent/m.json']);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/--layers must be comma-separated integers/);
  });

  it('`boltzmann data` without a subcommand points to the help once', async () => {
    const r = await cli(['data']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("boltzmann: usage error: data: give 'list' or 'fetch <name>' (see boltzmann data --help)\n");
  });
});

describe('--threads', () => {
  it('is refused unless an integer in [1, 64], with exit code 2', async () => {
    for (const bad of ['0', '65', '1.5', 'x']) {
      const r = await cli(['info', 'nothing.json', '--threads', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--threads must be an integer in \[1, 64\]/);
    }
    expect((await cli(['info', 'nothing.json', '--threads'])).stderr).toMatch(/got nothing/);
  });

  it('may stand before the command, as the help lists it under the global options', async () => {
    for (const args of [['--threads', '2', 'info', '/nonexistent/model.json'], ['--threads=2', '--debug', 'info', '/nonexistent/model.json']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(1); // got past the flags to the command
      expect(r.stderr).toMatch(/^boltzmann: error: no such file: \/nonexistent\/model\.json/);
    }
    const bad = await cli(['--threads', '0x2', 'info', 'x.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads must be an integer in \[1, 64\] \(got '0x2'\)/);
  });

  it('gives the same model on one thread and on two (64×64×200 products start the pool; it is bit-exact)', async () => {
    const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bz-threads-'));
    try {
      const rows = Array.from({ length: 128 }, (_, r) => Array.from({ length: 64 }, (_, c) => ((r * 7 + c * 3) % 5 < 2 ? 1 : 0)).join(','));
      writeFileSync(join(dir, 'd.csv'), `${rows.join('\n')}\n`);
      const out = (t: string) => join(dir, `m${t}.json`);
      for (const t of ['1', '2']) {
        const r = await cli(['train', 'rbm', '--data', join(dir, 'd.csv'), '--hidden', '200', '--epochs', '2', '--batch-size', '64', '--seed', '3', '--quiet', '--out', out(t), '--threads', t]);
        expect(r.code, r.stderr).toBe(0);
      }
      const a = JSON.parse(readFileSync(out('1'), 'utf8')) as { tensors: unknown };
      const b = JSON.parse(readFileSync(out('2'), 'utf8')) as { tensors: unknown };
      expect(b.tensors).toEqual(a.tensors);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

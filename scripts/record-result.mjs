#!/usr/bin/env node
/**
 * Runs one command behind a figure of the README's results table and records the run, so that
 * every figure there has a committed source:
 *
 *   node scripts/record-result.mjs <name> [--file out.json ...] -- <command> [args ...]
 *
 * writes bench/results/<name>.json: the command, when it ran, the commit it ran on (and the diff of
 * src/, bench/, examples/ and scripts/wasm/ against it, when they had uncommitted changes), Node, the CPU, its exit code, its standard
 * output (progress lines rewritten in place with '\r' keep their last state) and the contents
 * of every `--file` the command wrote (JSON embedded as such, anything else as text).
 * Standard output and error are also passed through while it runs.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const name = argv[0];
if (!name || sep < 1 || sep === argv.length - 1 || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
  console.error('usage: node scripts/record-result.mjs <name> [--file path ...] -- <command> [args ...]');
  process.exit(2);
}
const files = [];
for (let i = 1; i < sep; i++) {
  if (argv[i] === '--file' && i + 1 < sep) files.push(argv[++i]);
  else {
    console.error(`record-result: unexpected argument '${argv[i]}'`);
    process.exit(2);
  }
}
const command = argv.slice(sep + 1);
const git = (...a) => execFileSync('git', a, { encoding: 'utf8' }).trim();
const commit = git('rev-parse', 'HEAD');
const watched = ['src', 'bench', 'examples', 'scripts/wasm', ':(exclude)bench/results'];
const dirty = git('status', '--porcelain', '--', ...watched).length > 0;
// what the run's code differed from its commit by (tracked files; untracked ones are listed)
const diff = dirty ? `${git('diff', 'HEAD', '--', ...watched)}\n${git('status', '--porcelain', '--untracked-files=all', '--', ...watched)}` : '';
const started = new Date();
const t0 = performance.now();
const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
child.stdout.on('data', (b) => {
  process.stdout.write(b);
  out += b.toString('utf8');
});
child.stderr.on('data', (b) => process.stderr.write(b));
process.on('SIGINT', () => child.kill('SIGINT'));
const code = await new Promise((res) => child.on('close', (c, sig) => res(c ?? (sig ? 128 : 1))));
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes
const stdout = out.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.split('\r').filter((s) => s.length).pop() ?? '');
const embedded = {};
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  try {
    embedded[f] = JSON.parse(text);
  } catch {
    embedded[f] = text;
  }
}
const record = {
  name,
  command: command.join(' '),
  started: started.toISOString(),
  seconds: Math.round((performance.now() - t0) / 100) / 10,
  commit,
  uncommittedChanges: dirty,
  ...(dirty ? { diff: diff.split('\n') } : {}),
  node: process.version,
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  exitCode: code,
  stdout,
  files: embedded,
};
const dir = join('bench', 'results');
mkdirSync(dir, { recursive: true });
const path = join(dir, `${name}.json`);
writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 1)}\n`);
renameSync(`${path}.tmp`, path);
console.error(`record-result: wrote ${path} (exit ${code})`);
process.exit(code);

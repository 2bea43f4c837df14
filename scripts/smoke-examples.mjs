#!/usr/bin/env node
// Runs every example at its small size (CI's smoke test): the npm start demo, then each
// `example:*` script with its quick flag. Fails on the first example that fails.
import { spawnSync } from 'node:child_process';

const runs = [
  ['start', []],
  ['example:hopfield', ['--quick']],
  ['example:capacity', ['--quick']],
  ['example:memories', ['--quick']],
  ['example:capacity-theory', ['--quick']],
  ['example:lecture', ['--quick']],
  ['example:estimators-toy2d', ['--small']],
  ['example:estimators-digits', ['--small']],
  ['example:bars-and-stripes', ['--quick']],
  ['example:thermodynamics', ['--quick']],
  ['example:ising', ['--quick']],
  ['example:ebm', ['--quick']],
  ['example:datasets', ['--quick']],
  ['example:rbm-mnist', ['--smoke']],
  ['example:deep-mnist', ['--smoke']],
];

for (const [script, args] of runs) {
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    console.error(`example smoke FAILED: npm run ${script} ${args.join(' ')} (exit ${r.status}, ${secs} s)`);
    process.exit(1);
  }
  const lines = (r.stdout ?? '').trim().split('\n');
  console.log(`ok  npm run ${script} ${args.join(' ')}  (${secs} s)  ${lines[lines.length - 1]?.slice(0, 100) ?? ''}`);
}
console.log(`all ${runs.length} examples ran`);

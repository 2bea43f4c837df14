/**
 * The per-epoch line of `train rbm` (issue #15): the pseudo-log-likelihood it prints is the
 * exact one (every unit, no random draw) of the fixed monitor rows, so it is a function of the
 * model alone — before, a one-random-bit estimate with a new seed each epoch swung by tens of
 * nats around the exact value — and the line carries the certified upper bound on the monitor
 * rows' log-likelihood, checked here against enumeration.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fromArrays } from '../../src/linalg/matrix.js';
import { RBM } from '../../src/models/rbm.js';
import { pseudoLikelihood } from '../../src/models/rbm-pseudo-likelihood.js';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';
import { Random } from '../../src/random/random.js';

const dir = mkdtempSync(join(tmpdir(), 'bz-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('prints the exact pseudo-LL of the monitor rows and a certified bound on their log-likelihood', async () => {
  const r = new Random(4);
  const protos = Array.from({ length: 3 }, () => Array.from({ length: 12 }, () => (r.float64() < 0.4 ? 1 : 0)));
  const rows = Array.from({ length: 150 }, (_, i) => (protos[i % 3] as number[]).map((x) => (r.float64() < 0.05 ? 1 - x : x)));
  writeFileSync(join(dir, 'd.csv'), `${rows.map((x) => x.join(',')).join('\n')}\n`);
  const out = join(dir, 'm.json');
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli(['train', 'rbm', '--data', join(dir, 'd.csv'), '--hidden', '6', '--epochs', '3', '--monitor', '40', '--persistent', '--seed', '2', '--out', out], { stdout, stderr, env: {} });
  expect(code, stderr.text).toBe(0);
  const last = stdout.text.trim().split('\n').filter((l) => l.startsWith('epoch ')).pop() as string;
  const m = /pseudo-LL (-?[0-9.]+) +free energy (-?[0-9.]+) +LL ≤ (-?[0-9.]+)/.exec(last);
  expect(m, last).not.toBeNull();
  const [pl, , upper] = (m as RegExpExecArray).slice(1).map(Number) as [number, number, number];
  const rbm = RBM.fromDocument(JSON.parse(readFileSync(out, 'utf8')));
  const monitor = fromArrays(rows.slice(0, 40));
  const exactPl = pseudoLikelihood(rbm, monitor, { exact: true }).reduce((s, x) => s + x, 0) / 40;
  expect(pl).toBeCloseTo(exactPl, 2);
  const ll = rbm.score(monitor).mean; // exact (6 hidden units)
  expect(upper).toBeGreaterThanOrEqual(ll - 1e-3);
  expect(upper - ll).toBeLessThan(5); // not vacuous: the monitor rows hold most of the mass
});

/**
 * Child process for test/reliability/loader-limits.test.ts: runs one Node loader on a
 * folder and prints, as JSON on stdout, the outcome and the process's peak resident
 * set size (`process.resourceUsage().maxRSS`, KiB → bytes). Run with `node --import tsx`.
 *
 *   node --import tsx test/reliability/load-child.ts <dir> '<options as JSON>'
 */
import { loadMnist } from '../../src/node/data.js';

const [dir, json] = process.argv.slice(2) as [string, string];
const options = JSON.parse(json ?? '{}') as Record<string, number>;
let outcome: { ok: true; rows: number } | { ok: false; name: string; message: string };
try {
  const ds = loadMnist(dir, options);
  outcome = { ok: true, rows: ds.images.rows };
} catch (e) {
  outcome = { ok: false, name: (e as Error).name, message: (e as Error).message };
}
process.stdout.write(`${JSON.stringify({ ...outcome, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);

/**
 * Hopfield image reconstruction (the lecture's figure, Hopfield 1982): store ten
 * 28×28 binarized-MNIST digits in a 784-unit network, then restore them from
 * noisy cues (a fraction of pixels flipped) and from half-masked cues (the
 * bottom half blanked; the known top half is held fixed while the rest
 * evolves). Writes a PNG grid — one row per digit:
 *
 *   noisy cue | recalled | original || half-masked cue | recalled | original
 *
 * and prints how each storage rule does. Digits are strongly correlated (they
 * share most of their background), which is exactly where Hebbian storage
 * fails: it merges them into a few spurious blobs. The pseudo-inverse
 * (projection) rule stores correlated patterns exactly, so it is the one
 * drawn; the table compares all rules.
 *
 * Run: `npm run example:hopfield` (`-- --quick` or HOPFIELD_QUICK=1 for a smaller, faster run).
 * Output: examples/out/hopfield-digits.png, examples/out/hopfield-lecture-4-neuron.txt.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HopfieldNetwork, type HopfieldRule, makeCue, type Matrix, Random, recallOverlap, tileImages } from '../src/index.js';
import { writePng } from '../src/node/png.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick') || process.env.HOPFIELD_QUICK === '1';
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });

// 1. The digits bundled with the example (see examples/data/extract-hopfield-digits.ts).
const text = readFileSync(join(here, 'data', 'hopfield-digits.txt'), 'utf8').split('\n');
const digits: number[][] = [];
for (let i = 0; i < text.length; i++) {
  if (!text[i].startsWith('digit ')) continue;
  const rows = text.slice(i + 1, i + 29).join('');
  digits.push(Array.from(rows, (ch) => (ch === '#' ? 1 : -1)));
}
const count = quick ? 5 : digits.length;
const side = 28;
const n = side * side;
const patterns: Matrix = { rows: count, cols: n, data: Float64Array.from(digits.slice(0, count).flat()) };
console.log(`stored ${count} digits of ${n} pixels (load α = ${(count / n).toFixed(4)})`);

/** A network of the patterns' size storing them with `rule`. */
function stored(pats: Matrix | number[][], rule: HopfieldRule = 'hebbian'): HopfieldNetwork {
  const net = new HopfieldNetwork(Array.isArray(pats) ? (pats[0] as number[]).length : pats.cols);
  net.fit(pats, { rule });
  return net;
}

// 2. Compare the storage rules on noisy and half-masked cues.
const noise = 0.15;
const rules: HopfieldRule[] = ['hebbian', 'storkey', 'pseudo-inverse'];
console.log(`\nmean overlap with the original after evolution (1 = perfect), ${quick ? 2 : 10} cues per digit:`);
console.log('rule            clean   noisy ' + `${noise * 100}%`.padEnd(5) + ' half-masked  half-masked,top clamped   exact(noisy)');
for (const rule of rules) {
  const net = stored(patterns, rule);
  const trials = quick ? 2 : 10;
  const clean = recallOverlap(net, patterns, { rng: 1 });
  const noisy = recallOverlap(net, patterns, { flip: noise, trials, rng: 2 });
  const masked = recallOverlap(net, patterns, { mask: 0.5, maskFill: 'minus', rng: 3 });
  const partial = recallOverlap(net, patterns, { mask: 0.5, maskFill: 'minus', clampUnmasked: true, rng: 3 });
  console.log(
    `${rule.padEnd(15)} ${clean.meanOverlap.toFixed(3)}   ${noisy.meanOverlap.toFixed(3)}       ${masked.meanOverlap.toFixed(3)}        ${partial.meanOverlap.toFixed(3)}                    ${noisy.exactFraction.toFixed(2)}`,
  );
}

// 3. The picture, with the pseudo-inverse network.
const net = stored(patterns, 'pseudo-inverse');
const rng = new Random(2026);
const tiles = new Float64Array(count * 6 * n);
const cue = new Float64Array(n);
// A partial cue: the top half is known (held fixed), the blanked bottom half evolves.
const topKnown = new Uint8Array(n).fill(1, 0, n / 2);
for (let k = 0; k < count; k++) {
  const x = patterns.data.subarray(k * n, (k + 1) * n);
  const put = (col: number, v: Float64Array) => tiles.set(v, (k * 6 + col) * n);
  makeCue(cue, x, { flip: noise }, rng);
  put(0, cue);
  put(1, net.evolve(cue, { order: 'random', rng }).state);
  put(2, x);
  makeCue(cue, x, { mask: 0.5, maskFill: 'minus' }, rng);
  put(3, cue);
  put(4, net.evolve(cue, { order: 'random', rng, clamp: topKnown }).state);
  put(5, x);
}
const png = join(outDir, 'hopfield-digits.png');
writePng(png, tileImages({ rows: count * 6, cols: n, data: tiles }, { height: side, width: side, columns: 6, scale: 3, padding: 3, range: [-1, 1], invert: true }));
console.log(`\nwrote ${png}  (rows: digits; columns: noisy cue | recalled | original | half-masked cue | recalled | original)`);

// 4. The lecture's 4-neuron examples, as text.
const key = (v: ArrayLike<number>) => Array.from(v, (x) => (x > 0 ? '+' : '−')).join('');
const memories = (h: HopfieldNetwork) => {
  const out: string[] = [];
  for (let s = 0; s < 16; s++) {
    const y = Float64Array.from({ length: 4 }, (_, i) => ((s >> i) & 1 ? 1 : -1));
    if (h.isFixedPoint(y)) out.push(key(y));
  }
  return out;
};
const report: string[] = [];
const two = [
  [1, 1, -1, -1],
  [1, -1, 1, -1],
];
report.push(`Two orthogonal patterns ${two.map(key).join(', ')} (Hebbian): memories ${memories(stored(two)).join(', ')}`);
report.push('  -> both stored, each with its reversal (y and −y have the same energy).');
const three = [...two, [1, 1, 1, -1]];
const net3 = stored(three);
report.push(`Three non-orthogonal patterns ${three.map(key).join(', ')} (Hebbian): memories ${memories(net3).join(', ')}`);
for (const p of three) {
  const r = net3.evolve(Float64Array.from(p));
  report.push(`  ${key(p)} ${net3.isFixedPoint(Float64Array.from(p)) ? 'is stored' : `disappeared: it evolves to ${key(r.state)}`}`);
}
report.push('  -> −−−+ is a memory nobody stored: the reversal of the stored +++− (the lecture\'s "fake" memory); no state that is neither stored nor a reversal is one.');
report.push('  (Exhaustively, no 4-neuron Hebbian triple loses exactly one pattern while gaining a non-reversal spurious state;');
report.push('   the classic fake memory, the mixture sgn(ξ¹+ξ²+ξ³), needs a few more neurons:)');
const six = [
  [1, -1, -1, -1, -1, -1],
  [-1, 1, -1, -1, -1, -1],
  [-1, -1, 1, -1, -1, -1],
];
const net6 = stored(six);
const mix = Float64Array.from(six[0], (_, i) => Math.sign(six[0][i] + six[1][i] + six[2][i]));
report.push(
  `Six neurons, ${six.map(key).join(', ')}: each pattern stable? ${six.map((p) => net6.isFixedPoint(Float64Array.from(p))).join(', ')}; ` +
    `mixture ${key(mix)} stable? ${net6.isFixedPoint(mix)}`,
);
const txt = join(outDir, 'hopfield-lecture-4-neuron.txt');
writeFileSync(txt, `${report.join('\n')}\n`);
console.log(`\n${report.join('\n')}\nwrote ${txt}`);

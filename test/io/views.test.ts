/**
 * Teaching views (issue #20): energy landscape, probability bars, contours, training curves.
 * Structural checks against independent computations (enumeration by hand, direct energies),
 * not snapshots of whole strings.
 */
import { describe, expect, it } from 'vitest';
import type { EnergyModel } from '../../src/energy/types.js';
import { colormapColor } from '../../src/io/image.js';
import { contourLevels, contourSegments, contourSvg, energyGrid } from '../../src/io/views/contours.js';
import { energyLandscape, landscapeImage, landscapeSvg } from '../../src/io/views/landscape.js';
import { probabilityBarsSvg, spinLabels } from '../../src/io/views/probability-bars.js';
import { trainingCurveSvg } from '../../src/io/views/training-curve.js';
import type { EpochMetrics } from '../../src/models/contract.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { Random } from '../../src/random/random.js';

/** All attribute maps of elements `<tag ... class="cls" ...>` in an SVG string. */
function elements(svg: string, tag: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] as string).matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1] as string] = a[2] as string;
    if ((attrs.class ?? '').split(' ').includes(cls)) out.push(attrs);
  }
  return out;
}

function randomNet(n: number, rng: Random, bias: boolean): HopfieldNetwork {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = rng.uniform(-1, 1);
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  const b = Float64Array.from({ length: n }, () => (bias ? rng.uniform(-0.3, 0.3) : 0));
  return HopfieldNetwork.fromWeights({ rows: n, cols: n, data: w }, b);
}

const spins = (k: number, n: number) => Float64Array.from({ length: n }, (_, i) => ((k >>> i) & 1 ? 1 : -1));

/** Fixed points by direct enumeration: no unit with y_i h_i < 0 (or, with 'minus', y_i = +1 and h_i = 0). */
function bruteFixedPoints(net: HopfieldNetwork, minus = false): number[] {
  const n = net.dimension;
  const w = net.weights.data;
  const out: number[] = [];
  for (let k = 0; k < 2 ** n; k++) {
    const y = spins(k, n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      let h = net.bias[i] as number;
      for (let j = 0; j < n; j++) h += (w[i * n + j] as number) * (y[j] as number);
      if ((y[i] as number) * h < 0 || (minus && h === 0 && (y[i] as number) > 0)) ok = false;
    }
    if (ok) out.push(k);
  }
  return out;
}

describe('energyLandscape', () => {
  it('places each of the 2^N states once on a Gray-code grid, with exact energies, fixed points and basins', () => {
    const rng = new Random(3);
    for (const n of [1, 2, 5, 8, 10]) {
      const net = randomNet(n, rng, n % 2 === 0);
      const land = energyLandscape(net);
      expect(land.rows * land.cols).toBe(2 ** n);
      expect(Array.from(land.cellState).sort((a, b) => a - b)).toEqual(Array.from({ length: 2 ** n }, (_, k) => k));
      const bits = (x: number) => x.toString(2).split('1').length - 1;
      for (let r = 0; r < land.rows; r++) {
        for (let c = 0; c < land.cols; c++) {
          const k = land.cellState[r * land.cols + c] as number;
          if (c + 1 < land.cols) expect(bits(k ^ (land.cellState[r * land.cols + c + 1] as number))).toBe(1);
          if (r + 1 < land.rows) expect(bits(k ^ (land.cellState[(r + 1) * land.cols + c] as number))).toBe(1);
        }
      }
      const fixed = bruteFixedPoints(net);
      expect(Array.from(land.fixedPoints)).toEqual(fixed);
      for (let k = 0; k < 2 ** n; k++) {
        expect(land.energies[k]).toBeCloseTo(net.energy(spins(k, n)), 12);
        const end = net.evolve(spins(k, n)).state;
        let idx = 0;
        for (let i = 0; i < n; i++) if ((end[i] as number) > 0) idx |= 1 << i;
        expect(land.basin[k]).toBe(idx);
        expect(fixed).toContain(land.basin[k]);
      }
    }
  });

  it("reproduces the lecture's tie rule example: Θ(0) = −1 keeps only ξ¹ and −ξ² of two non-orthogonal patterns", () => {
    const net = new HopfieldNetwork(4);
    net.fit([
      [1, 1, -1, -1],
      [1, 1, 1, -1],
    ]);
    const idx = (s: number[]) => s.reduce((k, v, i) => k | ((v > 0 ? 1 : 0) << i), 0);
    const xi1 = idx([1, 1, -1, -1]);
    const xi2 = idx([1, 1, 1, -1]);
    const neg = (k: number) => ~k & 15;
    expect(Array.from(energyLandscape(net).fixedPoints)).toEqual([xi1, xi2, neg(xi1), neg(xi2)].sort((a, b) => a - b));
    const minus = energyLandscape(net, { tie: 'minus' });
    expect(Array.from(minus.fixedPoints)).toEqual(bruteFixedPoints(net, true));
    expect(Array.from(minus.fixedPoints)).toEqual([xi1, neg(xi2)].sort((a, b) => a - b));
    expect(minus.basin[xi2]).toBe(xi1);
  });

  it('SVG: one cell per state with its energy, circles exactly on the fixed points, walls exactly between basins', () => {
    const net = randomNet(7, new Random(9), true);
    const land = energyLandscape(net);
    const svg = landscapeSvg(land, { title: 'random 7-unit net' });
    const cells = elements(svg, 'rect', 'cell');
    expect(cells.length).toBe(2 ** 7);
    for (const c of cells) expect(Number(c['data-energy'])).toBe(land.energies[Number(c['data-state'])]);
    const circles = elements(svg, 'circle', 'fixed-point').map((c) => Number(c['data-state']));
    expect(circles.sort((a, b) => a - b)).toEqual(bruteFixedPoints(net));
    let walls = 0;
    for (let r = 0; r < land.rows; r++) {
      for (let c = 0; c < land.cols; c++) {
        const b = land.basin[land.cellState[r * land.cols + c] as number];
        if (c + 1 < land.cols && land.basin[land.cellState[r * land.cols + c + 1] as number] !== b) walls++;
        if (r + 1 < land.rows && land.basin[land.cellState[(r + 1) * land.cols + c] as number] !== b) walls++;
      }
    }
    expect(walls).toBeGreaterThan(0);
    expect(elements(svg, 'line', 'basin-wall').length).toBe(walls);
    // the lowest-energy cell has the colormap's low end
    const kMin = land.energies.indexOf(Math.min(...land.energies));
    const cMin = cells.find((c) => Number(c['data-state']) === kMin) as Record<string, string>;
    expect(cMin.fill).toBe(`#${colormapColor('viridis', 0).map((v) => v.toString(16).padStart(2, '0')).join('')}`);
  });

  it('image: cell colours by energy, white centres exactly on the fixed points', () => {
    const net = randomNet(6, new Random(4), false);
    const land = energyLandscape(net);
    const cell = 12;
    const img = landscapeImage(land, { cellSize: cell, colormap: 'magma' });
    expect([img.width, img.height]).toEqual([land.cols * cell, land.rows * cell]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of land.energies) [lo, hi] = [Math.min(lo, e), Math.max(hi, e)];
    const fixed = new Set(bruteFixedPoints(net));
    for (let r = 0; r < land.rows; r++) {
      for (let c = 0; c < land.cols; c++) {
        const k = land.cellState[r * land.cols + c] as number;
        const p = 4 * ((r * cell + cell / 2) * img.width + c * cell + cell / 2);
        const px = [img.data[p], img.data[p + 1], img.data[p + 2]];
        if (fixed.has(k)) expect(px).toEqual([255, 255, 255]);
        else expect(px).toEqual(colormapColor('magma', ((land.energies[k] as number) - lo) / (hi - lo)));
      }
    }
  });

  it('rejects networks above 12 units', () => {
    expect(() => energyLandscape(new HopfieldNetwork(13))).toThrow(/energyLandscape: net.dimension must be/);
  });
});

describe('probabilityBarsSvg', () => {
  it('draws bar heights proportional to the given values on one axis, and the total variation', () => {
    const p = [0.05, 0.3, 0.15, 0.5];
    const q = [0.07, 0.26, 0.2, 0.47];
    const svg = probabilityBarsSvg(p, q, { labels: spinLabels(2) });
    const ex = elements(svg, 'rect', 'exact');
    const sa = elements(svg, 'rect', 'sampled');
    expect(ex.map((e) => Number(e['data-value']))).toEqual(p);
    expect(sa.map((e) => Number(e['data-value']))).toEqual(q);
    const scale = Number(ex[3]?.height) / 0.5;
    for (const [bars, vals] of [
      [ex, p],
      [sa, q],
    ] as const) {
      bars.forEach((b, k) => {
        expect(Math.abs(Number(b.height) - (vals[k] as number) * scale)).toBeLessThan(0.02);
        expect(Number(b.y) + Number(b.height)).toBeCloseTo(Number(ex[0]?.y) + Number(ex[0]?.height), 1); // common baseline
      });
    }
    const tv = (0.02 + 0.04 + 0.05 + 0.03) / 2;
    expect(svg).toContain(`total variation ${Number(tv.toPrecision(4))}`);
    expect(spinLabels(2)).toEqual(['−−', '+−', '−+', '++']);
  });

  it('top keeps the most probable states in index order', () => {
    const p = [0.1, 0.4, 0.05, 0.3, 0.15];
    const svg = probabilityBarsSvg(p, [0.2, 0.2, 0.2, 0.2, 0.2], { top: 3 });
    expect(elements(svg, 'rect', 'exact').map((e) => Number(e['data-index']))).toEqual([1, 3, 4]);
  });

  it('rejects mismatched lengths and values outside [0, 1]', () => {
    expect(() => probabilityBarsSvg([0.5, 0.5], [1])).toThrow(/same length/);
    expect(() => probabilityBarsSvg([0.5, 1.5], [0.5, 0.5])).toThrow(/exact\[1\] must be in \[0, 1\]/);
  });
});

describe('contours', () => {
  it('energyGrid evaluates functions and 2-D energy models at the grid points', () => {
    const f = (x: number, y: number) => x * x + 3 * y;
    const g = energyGrid(f, { xRange: [-1, 2], yRange: [0, 1], resolution: [4, 3] });
    expect(Array.from(g.xs)).toEqual([-1, 0, 1, 2]);
    expect(Array.from(g.ys)).toEqual([0, 0.5, 1]);
    expect(g.values.data[2 * 4 + 3]).toBe(f(2, 1));
    const model: EnergyModel = { dimension: 2, domain: 'continuous', energy: (p) => f(p[0] as number, p[1] as number) };
    expect(Array.from(energyGrid(model, { xRange: [-1, 2], yRange: [0, 1], resolution: [4, 3] }).values.data)).toEqual(Array.from(g.values.data));
  });

  it('contour segments of x² + y² lie on the circles of radius √level and add up to their circumference', () => {
    const g = energyGrid((x, y) => x * x + y * y, { xRange: [-2, 2], yRange: [-2, 2], resolution: 81 });
    for (const level of [0.5, 1, 2.5]) {
      const s = contourSegments(g, level);
      expect(s.length % 4).toBe(0);
      let length = 0;
      for (let k = 0; k < s.length; k += 4) {
        for (const o of [0, 2]) expect(Math.abs(Math.hypot(s[k + o] as number, s[k + o + 1] as number) - Math.sqrt(level))).toBeLessThan(2e-3);
        length += Math.hypot((s[k + 2] as number) - (s[k] as number), (s[k + 3] as number) - (s[k + 1] as number));
      }
      expect(Math.abs(length / (2 * Math.PI * Math.sqrt(level)) - 1)).toBeLessThan(2e-3);
    }
  });

  it('resolves saddle cells by the cell mean: the hyperbola x·y = c keeps its two branches apart', () => {
    // an even resolution puts the saddle (0, 0) in the middle of a cell whose four edges all cross the level
    const g = energyGrid((x, y) => x * y, { xRange: [-1, 1], yRange: [-1, 1], resolution: 20 });
    const c = 0.001;
    const s = contourSegments(g, c);
    expect(s.length).toBeGreaterThan(0);
    for (let k = 0; k < s.length; k += 4) {
      expect((s[k] as number) * (s[k + 1] as number)).toBeCloseTo(c, 12); // x·y is linear on every edge: crossings are exact
      expect(Math.sign(s[k] as number)).toBe(Math.sign(s[k + 2] as number)); // both ends on the same branch
      expect(Math.sign(s[k + 1] as number)).toBe(Math.sign(s[k + 3] as number));
    }
  });

  it('SVG: ascending levels, one path per level, one circle per sample inside the range', () => {
    const g = energyGrid((x, y) => (x * x - 1) ** 2 + y * y, { xRange: [-2, 2], yRange: [-1.5, 1.5], resolution: 31 });
    const levels = contourLevels(g, 6);
    for (let k = 1; k < levels.length; k++) expect(levels[k]).toBeGreaterThan(levels[k - 1] as number);
    const min = Math.min(...g.values.data);
    const max = Math.max(...g.values.data);
    expect(levels[0]).toBeGreaterThan(min);
    expect(levels[5]).toBeLessThan(max);
    const samples = [
      [-1, 0],
      [1, 0.2],
      [5, 0], // outside: left out
      [0.3, -1.4],
    ];
    const svg = contourSvg(g, { levels: [2, 0.5, 1], samples, title: 'double well' });
    const paths = elements(svg, 'path', 'contour').map((p) => Number(p['data-level']));
    expect(paths).toEqual([0.5, 1, 2]);
    expect(elements(svg, 'circle', 'sample').length).toBe(3);
  });
});

describe('trainingCurveSvg', () => {
  const history: EpochMetrics[] = [0, 1, 2, 3, 4].map((k) => ({
    epoch: k % 3,
    steps: 10 * (k + 1),
    learningRate: 0.1,
    seconds: 0.01,
    stage: k < 3 ? 'layer 0' : 'layer 1',
    logLikelihood: -5 + k,
    reconstructionError: k === 2 ? Number.NaN : 1 / (k + 1),
  }));

  /** The points of each `<path d="M… L…">` of the plot's series. */
  const series = (svg: string) =>
    [...svg.matchAll(/<path d="([^"]+)" stroke="[^"]+"/g)].map((m) =>
      [...(m[1] as string).matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])] as const),
    );

  it('draws one line per metric present, a point per epoch (gaps for NaN), and marks each new stage', () => {
    const svg = trainingCurveSvg({ history, epochs: 5, aborted: false });
    const lines = series(svg);
    expect(lines.length).toBe(2);
    expect(lines[0]?.length).toBe(5); // logLikelihood
    expect(lines[1]?.length).toBe(4); // reconstructionError, one NaN gap
    const ys = (lines[0] ?? []).map((p) => p[1]);
    for (let k = 1; k < ys.length; k++) expect(ys[k]).toBeLessThan(ys[k - 1] as number); // rising values are drawn higher
    const xs = (lines[0] ?? []).map((p) => p[0]);
    for (let k = 2; k < xs.length; k++) expect((xs[k] as number) - (xs[k - 1] as number)).toBeCloseTo((xs[1] as number) - (xs[0] as number), 1);
    expect(svg).toContain('>layer 1</text>');
    expect(svg).not.toContain('>layer 0</text>');
  });

  it('draws only the chosen metrics and refuses a history without them', () => {
    expect(series(trainingCurveSvg(history, { metrics: ['reconstructionError'] })).length).toBe(1);
    expect(() => trainingCurveSvg(history, { metrics: ['loss'] })).toThrow(/no finite value of loss/);
    expect(() => trainingCurveSvg(history, { metrics: ['epoch' as never] })).toThrow(/CURVE_METRICS/);
  });
});

/**
 * Class names are what users see ("got HopfieldNetwork") and what `instanceof`
 * diagnostics print: every class exported by `boltzmann`, `boltzmann/base` and
 * `boltzmann/node` must be named as it is exported. This runs on the sources;
 * `npm run smoke` checks the same on the bundle in dist/ (tsup `keepNames`).
 */
import { describe, expect, it } from 'vitest';
import * as base from '../../src/base.js';
import * as root from '../../src/index.js';
import * as node from '../../src/node/index.js';

function misnamedClasses(mod: Record<string, unknown>): string[] {
  const bad: string[] = [];
  for (const [key, value] of Object.entries(mod)) {
    if (typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value))) continue;
    if (value.name !== key) bad.push(`${key} is named '${value.name}'`);
  }
  return bad;
}

describe('exported class names', () => {
  it('RBM and HopfieldNetwork are named as exported', () => {
    expect(root.RBM.name).toBe('RBM');
    expect(root.HopfieldNetwork.name).toBe('HopfieldNetwork');
  });

  it('every exported class of every entry point is named as exported', () => {
    const classes = Object.values(root).filter((v) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v)));
    expect(classes.length).toBeGreaterThan(10);
    expect([...misnamedClasses(root), ...misnamedClasses(base), ...misnamedClasses(node)]).toEqual([]);
  });
});

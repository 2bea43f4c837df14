import { describe, expect, it } from 'vitest';
import { parseCsv, writeCsv } from '../../src/io/csv.js';
import { gunzip, idxToMatrix, parseIdx } from '../../src/io/idx.js';
import { heatmap, tileFilters, tileImages } from '../../src/io/image.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { linePlot } from '../../src/io/svg.js';
import { matrix } from '../../src/linalg/matrix.js';

describe('io: every options object refuses unknown keys, naming the closest valid one', () => {
  const m = matrix(2, 4, Float64Array.of(0, 1, 0, 1, 1, 0, 1, 0));
  const idx = parseIdx(Uint8Array.of(0, 0, 0x08, 1, 0, 0, 0, 2, 7, 9));
  const cases: [string, () => unknown, RegExp][] = [
    ['parseCsv', () => parseCsv('1,2\n', { delimeter: ';' } as never), /parseCsv: unknown option 'delimeter' \(did you mean 'delimiter'\?\)/],
    ['writeCsv', () => writeCsv(m, { headers: ['a'] } as never), /writeCsv: unknown option 'headers' \(did you mean 'header'\?\)/],
    ['idxToMatrix', () => idxToMatrix(idx, { limits: 1 } as never), /unknown option 'limits' \(did you mean 'limit'\?\)/],
    ['tileImages', () => tileImages(m, { height: 2, width: 2, colums: 2 } as never), /tileImages: unknown option 'colums' \(did you mean 'columns'\?\)/],
    ['tileFilters', () => tileFilters(m, { height: 1, width: 2, scal: 2 } as never), /tileFilters: unknown option 'scal' \(did you mean 'scale'\?\)/],
    ['heatmap', () => heatmap(m, { colourmap: 'grey' } as never), /heatmap: unknown option 'colourmap' \(did you mean 'colormap'\?\)/],
    ['encodeSafetensors', () => encodeSafetensors({}, undefined, { dtyp: 'F32' } as never), /encodeSafetensors: unknown option 'dtyp' \(did you mean 'dtype'\?\)/],
    ['linePlot', () => linePlot([{ name: 'a', x: [0, 1], y: [0, 1] }], { titel: 'x' } as never), /linePlot: unknown option 'titel' \(did you mean 'title'\?\)/],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    });
  }
  it('gunzip', async () => {
    await expect(gunzip(Uint8Array.of(0x1f, 0x8b), { maxByte: 1 } as never)).rejects.toThrow(/unknown option 'maxByte' \(did you mean 'maxBytes'\?\)/);
  });
});

/**
 * A small, strict PNG decoder for tests: 8-bit greyscale / RGB / RGBA,
 * non-interlaced, all five scanline filters, CRCs checked. Returns RGBA.
 */
import { inflateSync } from 'node:zlib';
import { crc32 } from '../../src/node/png.js';

export interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  data: Uint8Array;
}

export function decodePng(bytes: Uint8Array): DecodedPng {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, i) => {
    if (bytes[i] !== b) throw new Error('bad signature');
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (off < bytes.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...bytes.subarray(off + 4, off + 8));
    const body = bytes.subarray(off + 8, off + 8 + len);
    const crc = view.getUint32(off + 8 + len);
    if (crc32(bytes.subarray(off + 4, off + 8 + len)) !== crc) throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      if (body[8] !== 8 || body[10] !== 0 || body[11] !== 0 || body[12] !== 0) throw new Error('unsupported IHDR');
      colorType = body[9] as number;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      ended = true;
      off += 12 + len;
      break;
    }
    off += 12 + len;
  }
  if (!ended || off !== bytes.length) throw new Error('missing IEND or trailing bytes');
  const bpp = colorType === 0 ? 1 : colorType === 2 ? 3 : colorType === 6 ? 4 : 0;
  if (bpp === 0) throw new Error(`unsupported colour type ${colorType}`);
  const raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const stride = width * bpp;
  if (raw.length !== (stride + 1) * height) throw new Error('bad IDAT size');
  const pix = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)] as number;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] as number;
      const a = i >= bpp ? (pix[y * stride + i - bpp] as number) : 0;
      const b = y > 0 ? (pix[(y - 1) * stride + i] as number) : 0;
      const c = i >= bpp && y > 0 ? (pix[(y - 1) * stride + i - bpp] as number) : 0;
      let pred = 0;
      if (f === 1) pred = a;
      else if (f === 2) pred = b;
      else if (f === 3) pred = (a + b) >>> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (f !== 0) throw new Error(`bad filter ${f}`);
      pix[y * stride + i] = (x + pred) & 0xff;
    }
  }
  const data = new Uint8Array(4 * width * height);
  for (let p = 0; p < width * height; p++) {
    if (bpp === 1) data.set([pix[p] as number, pix[p] as number, pix[p] as number, 255], 4 * p);
    else if (bpp === 3) data.set([...pix.subarray(3 * p, 3 * p + 3), 255], 4 * p);
    else data.set(pix.subarray(4 * p, 4 * p + 4), 4 * p);
  }
  return { width, height, colorType, data };
}

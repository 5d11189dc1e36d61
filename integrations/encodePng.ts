/**
 * A minimal PNG encoder for opaque RGBA pixels (8-bit, no filter, zlib level 1). Ours
 * rather than resvg's `asPng()`: measured on a 1200×600 chart, resvg-wasm's encoder took
 * 13 ms, this one under 4 ms, for files of about the same size (100 KB).
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_RGBA = 6;

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

// One scratch buffer for the filtered rows (2.9 MB for a 1200×600 chart), reused: every
// chart has the same size, and a fresh one per render only fed the garbage collector.
let scratch = Buffer.alloc(0);
function scanlineBuffer(size: number): Buffer {
  if (scratch.length !== size) scratch = Buffer.alloc(size);
  return scratch;
}

export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (rgba.length !== width * height * 4)
    throw new Error(`encodePng: expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = COLOR_TYPE_RGBA;
  const rowBytes = width * 4;
  const scanlines = scanlineBuffer((rowBytes + 1) * height);
  for (let row = 0; row < height; row += 1) {
    scanlines[row * (rowBytes + 1)] = 0; // filter: none
    scanlines.set(rgba.subarray(row * rowBytes, (row + 1) * rowBytes), row * (rowBytes + 1) + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

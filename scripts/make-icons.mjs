// Writes the PWA icons (client/public/icons/icon-192.png, icon-512.png, maskable-512.png): the
// header's blue with a white page and three lines, drawn pixel by pixel and encoded as PNG with
// node:zlib, so no image tool or downloaded asset is needed. Run once; the PNGs are committed.
//   node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BLUE = [0x1d, 0x4f, 0x91];
const WHITE = [0xff, 0xff, 0xff];
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
}
function png(size, pad) {
  const rows = [];
  const page = { x0: size * (0.28 + pad), x1: size * (0.72 - pad), y0: size * (0.18 + pad), y1: size * (0.82 - pad) };
  const h = page.y1 - page.y0;
  const lines = [0.3, 0.5, 0.7].map((f) => page.y0 + h * f);
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const inPage = x >= page.x0 && x < page.x1 && y >= page.y0 && y < page.y1;
      const onLine =
        inPage && x >= page.x0 + size * 0.06 && x < page.x1 - size * 0.06 && lines.some((l) => Math.abs(y - l) < size * 0.02);
      row.push(...(inPage && !onLine ? WHITE : BLUE));
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const out = path.resolve('client/public/icons');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'icon-192.png'), png(192, 0));
fs.writeFileSync(path.join(out, 'icon-512.png'), png(512, 0));
fs.writeFileSync(path.join(out, 'maskable-512.png'), png(512, 0.06)); // inside the maskable safe zone

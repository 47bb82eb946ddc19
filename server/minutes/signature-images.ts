// Each user's handwritten signature image (docs/design-notes.md, Minutes layout: blue, transparent PNG), shown in the visible
// mark of their digital signatures. Checked by its bytes, not by what the client claims: the PNG
// signature, an IHDR first with sane dimensions, and pdf-lib must be able to embed it.
import { eq } from 'drizzle-orm';
import type { Store } from '../db/store';
import { AppError } from '../errors';

export const MAX_SIGNATURE_IMAGE_BYTES = 256 * 1024;
export const MAX_SIGNATURE_IMAGE_SIDE = 2000;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const bad = (message: string) => new AppError('BAD_SIGNATURE_IMAGE', message);

/** Width and height from the IHDR chunk; throws BAD_SIGNATURE_IMAGE for anything that is not a plausible PNG. */
export function pngDimensions(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 33 || !b.subarray(0, 8).equals(PNG_MAGIC)) throw bad('The signature image must be a PNG file');
  if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') throw bad('The PNG has no IHDR header');
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  if (width < 1 || height < 1 || width > MAX_SIGNATURE_IMAGE_SIDE || height > MAX_SIGNATURE_IMAGE_SIDE) {
    throw bad(`The signature image must be between 1 and ${MAX_SIGNATURE_IMAGE_SIDE} pixels on each side`);
  }
  return { width, height };
}

export class SignatureImages {
  constructor(private readonly store: Store) {}

  async get(userId: string): Promise<Uint8Array | undefined> {
    const [row] = await this.store.read((q, t) =>
      q.select({ png: t.signatureImages.pngBase64 }).from(t.signatureImages).where(eq(t.signatureImages.userId, userId)),
    );
    return row ? decode(row.png) : undefined;
  }
  async info(userId: string): Promise<{ width: number; height: number; updatedAt: string } | null> {
    const [row] = await this.store.read((q, t) =>
      q
        .select({ width: t.signatureImages.width, height: t.signatureImages.height, updatedAt: t.signatureImages.updatedAt })
        .from(t.signatureImages)
        .where(eq(t.signatureImages.userId, userId)),
    );
    return row ?? null;
  }

  async set(userId: string, bytes: Uint8Array, now = new Date()): Promise<{ width: number; height: number; updatedAt: string }> {
    if (bytes.length > MAX_SIGNATURE_IMAGE_BYTES)
      throw new AppError('PAYLOAD_TOO_LARGE', `The signature image is larger than ${MAX_SIGNATURE_IMAGE_BYTES / 1024} KB`);
    const { width, height } = pngDimensions(bytes);
    try {
      const { PDFDocument } = await import('pdf-lib'); // loaded on first use, not at start
      await (await PDFDocument.create()).embedPng(bytes);
    } catch {
      throw bad('The PNG cannot be read');
    }
    const row = { userId, pngBase64: Buffer.from(bytes).toString('base64'), width, height, updatedAt: now.toISOString() };
    await this.store.write(`user:${userId}`, (tx, t) =>
      tx
        .insert(t.signatureImages)
        .values(row)
        .onConflictDoUpdate({
          target: t.signatureImages.userId,
          set: { pngBase64: row.pngBase64, width, height, updatedAt: row.updatedAt },
        }),
    );
    return { width, height, updatedAt: row.updatedAt };
  }

  async remove(userId: string): Promise<void> {
    await this.store.write(`user:${userId}`, (tx, t) => tx.delete(t.signatureImages).where(eq(t.signatureImages.userId, userId)));
  }
}

const decode = (png: string) => new Uint8Array(Buffer.from(png, 'base64'));

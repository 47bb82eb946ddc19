// Renders the fixture minutes and signs them secretary-then-chair with an internal CA in a temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderMinutes, type RenderedMinutes } from '../../server/pdf/render-minutes';
import { InternalCa, type KeyAlgorithm } from '../../server/signing/internal-ca';
import { signPdf } from '../../server/signing/sign-pdf';
import type { MinutesDocument } from '../../shared/minutes';
import { buildMinutes } from './minutes-fixture';

export const SECRETARY = { userId: 'u-secretary', fullName: 'Nguyễn Thị Thư Ký' };
export const CHAIR = { userId: 'u-chair', fullName: 'Trần Văn Chủ Trì' };

export function tempDir(prefix = 'hop-so-minutes-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface SignedMinutes {
  rendered: RenderedMinutes;
  once: Uint8Array;
  twice: Uint8Array;
  ca: InternalCa;
}

export async function renderAndSign(
  options: { doc?: MinutesDocument; caDir?: string; keyAlgorithm?: KeyAlgorithm; secretaryImage?: Uint8Array } = {},
): Promise<SignedMinutes> {
  const ca = await InternalCa.open(options.caDir ?? path.join(tempDir(), 'ca'), { keyAlgorithm: options.keyAlgorithm });
  const rendered = await renderMinutes(options.doc ?? buildMinutes());
  const once = await signPdf(rendered.bytes, {
    signer: await ca.signerFor(SECRETARY),
    box: rendered.signatureBoxes.secretary,
    reason: 'Thư ký ký biên bản',
    location: 'Hà Giang',
    name: SECRETARY.fullName,
    signatureImagePng: options.secretaryImage,
    signedAt: new Date('2026-11-21T04:30:00Z'),
  });
  const twice = await signPdf(once, {
    signer: await ca.signerFor(CHAIR),
    box: rendered.signatureBoxes.chair,
    reason: 'Chủ trì ký biên bản',
    location: 'Hà Giang',
    name: CHAIR.fullName,
    signedAt: new Date('2026-11-21T04:45:00Z'),
  });
  return { rendered, once, twice, ca };
}

/** A copy with one byte changed inside the signed range of the first signature (page content). */
export function flipByteInSignedRange(pdf: Uint8Array): Uint8Array {
  const copy = Buffer.from(pdf);
  const at = copy.indexOf('stream\n', copy.indexOf('/Contents')); // some content stream's data
  const pos = at > 0 ? at + 20 : 1000;
  copy[pos] = copy[pos]! ^ 0x01;
  return new Uint8Array(copy);
}

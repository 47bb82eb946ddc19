// The personal watermark of a confidential document (tài liệu mật) as a pooled worker's task
// ('files' pool, pdf-workers.ts): every page gets, drawn into its own content, the reader's name,
// account and the time the copy was made, on the page diagonal, semi-transparent, above the page's
// content. The file is rewritten whole (pdf-lib save), not extended by an incremental update: an
// update could be cut off the end of the file to give back the unmarked original. Why this method and
// its limits: docs/confidential-documents.md.
// Runs as dist/server/pdf/watermark-worker.mjs in the build, through watermark-worker.mjs from the source.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { PDFDocument, PDFName, degrees, popGraphicsState, pushGraphicsState, rgb, type PDFFont } from 'pdf-lib';
import { fontBytes } from './fonts';
import { sharedFontkit } from './shared-fontkit';

export interface WatermarkTask {
  /** the served file (the web copy when there is one, else the stored original) */
  path: string;
  /** where the copy goes (must not exist) */
  outPath: string;
  /** the lines drawn on each page, first line biggest (the reader's name) */
  lines: string[];
}

export type WatermarkResult = { ok: true; sha256: string; size: number; pages: number } | { ok: false; reason: string };

const INK = rgb(0.75, 0.1, 0.1);
const OPACITY = 0.28;

/** Draws `lines` centred on the page's diagonal (bottom-left → top-right of its crop box). */
function drawOn(page: ReturnType<PDFDocument['getPage']>, font: PDFFont, lines: string[]): void {
  const box = page.getCropBox();
  const angle = Math.atan2(box.height, box.width);
  const diagonal = Math.hypot(box.width, box.height);
  // the first line spans about 60% of the diagonal, the others are half its size
  const nameWidthAt1 = Math.max(1, font.widthOfTextAtSize(lines[0] ?? '', 1));
  const big = Math.min(Math.max((diagonal * 0.6) / nameWidthAt1, 10), diagonal / 14);
  const sizes = lines.map((_, i) => (i === 0 ? big : big * 0.5));
  const gap = big * 0.35;
  const total = sizes.reduce((s, x) => s + x, 0) + gap * (lines.length - 1);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // lines stacked across the diagonal: the block's top at +total/2 along the normal (-sin, cos)
  let offset = total / 2;
  lines.forEach((text, i) => {
    const size = sizes[i]!;
    offset -= size * 0.8; // baseline below the line's top
    const w = font.widthOfTextAtSize(text, size);
    const x = cx - (w / 2) * cos - offset * sin;
    const y = cy - (w / 2) * sin + offset * cos;
    page.drawText(text, { x, y, size, font, color: INK, opacity: OPACITY, rotate: degrees((angle * 180) / Math.PI) });
    offset -= size * 0.2 + gap;
  });
}

export async function watermarkPdf(bytes: Uint8Array, lines: string[]): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: false });
  doc.registerFontkit(sharedFontkit);
  const font = await doc.embedFont(fontBytes('regular'), { subset: true });
  // the page's own content runs inside q … Q, so a transformation it leaves in force cannot move the mark
  const start = doc.context.register(doc.context.contentStream([pushGraphicsState()]));
  const end = doc.context.register(doc.context.contentStream([popGraphicsState()]));
  const pages = doc.getPages();
  for (const page of pages) {
    if (page.node.get(PDFName.of('Contents'))) page.node.wrapContentStreams(start, end);
    drawOn(page, font, lines);
  }
  const out = await doc.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
  return { bytes: out, pages: pages.length };
}

/** The pool's task: `WatermarkTask` → WatermarkResult; never throws. */
export default async function watermarkTask(task: WatermarkTask): Promise<WatermarkResult> {
  try {
    const { bytes, pages } = await watermarkPdf(new Uint8Array(await readFile(task.path)), task.lines);
    await writeFile(task.outPath, bytes, { flag: 'wx' });
    return { ok: true, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, pages };
  } catch (e) {
    const name = e && typeof e === 'object' && 'name' in e ? String(e.name) : 'error';
    return { ok: false, reason: `${name}: ${e instanceof Error ? e.message.slice(0, 200) : ''}` };
  }
}

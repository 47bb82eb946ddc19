// Collects what an export adds to a loaded PDF and writes it as an incremental update: the new
// objects and the changed page dictionaries after the original bytes. Objects are written as they
// are made (IncrementalUpdateWriter), so thousands of marks leave no garbage behind. For a file
// whose cross-reference data cannot be trusted (no final startxref), pdf-lib saves it whole.
import { PDFObjectParser, type PDFDocument, type PDFRef } from 'pdf-lib';
import { IncrementalUpdateWriter, serializeObject } from '../signing/pdf-incremental-update';

export class PdfEdit {
  private readonly writer: IncrementalUpdateWriter | undefined;
  /** only without a writer: bodies kept for pdf-lib's full save */
  private readonly pending: { ref: PDFRef; body: Uint8Array }[] = [];
  /** existing objects changed in place (page dictionaries) */
  private readonly changed = new Map<string, PDFRef>();
  /** everything numbered from here on is new, whoever registered it (pdf-lib's font embedder too) */
  private readonly firstNew: number;

  /**
   * `expectedBytes`: a guess of the update's size (see IncrementalUpdateWriter). `incrementalOnly`:
   * the document holds only the objects looked up (lazy-pdf-document.ts), so a full save would lose
   * the rest; throws instead when no incremental update can be written.
   */
  constructor(
    private readonly doc: PDFDocument,
    original: Uint8Array,
    expectedBytes = 0,
    incrementalOnly = false,
  ) {
    try {
      this.writer = doc.context.trailerInfo.Root ? new IncrementalUpdateWriter(original, expectedBytes) : undefined;
    } catch {
      this.writer = undefined;
    }
    if (!this.writer && incrementalOnly) throw new Error('no incremental update possible: the PDF must be loaded whole');
    // pdf-lib keeps neither cross-reference streams nor object streams as objects, so their numbers
    // look free to it; reusing them in the update would hide every object packed in those streams.
    // New objects number from the original's /Size.
    const ctx = doc.context;
    if (this.writer) ctx.largestObjectNumber = Math.max(ctx.largestObjectNumber, this.writer.originalSize - 1);
    this.firstNew = ctx.largestObjectNumber + 1;
  }

  /** Reserves an object number; the body can be given later (an annotation names its appearance). */
  reserve(): PDFRef {
    return this.doc.context.nextRef();
  }

  /**
   * `body` without "n 0 obj", in parts of latin1 text or bytes (copied before this returns, so a
   * reused scratch buffer is fine). Each reserved ref is set exactly once.
   */
  set(ref: PDFRef, ...body: (string | Uint8Array)[]): void {
    if (this.writer) this.writer.writeObject(ref, ...body);
    else this.pending.push({ ref, body: Buffer.concat(body.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p))) });
  }

  add(...body: (string | Uint8Array)[]): PDFRef {
    const ref = this.reserve();
    this.set(ref, ...body);
    return ref;
  }

  markChanged(ref: PDFRef): void {
    this.changed.set(ref.tag, ref);
  }

  /**
   * The file, in parts to send one after the other: the original bytes (not copied) and the update
   * after them, or pdf-lib's full save alone (see above).
   */
  async write(): Promise<Uint8Array[]> {
    const { doc, writer } = this;
    const ctx = doc.context;
    await doc.flush(); // embeds fonts used by note text
    if (!writer) return this.saveWhole();
    for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
      if (ref.objectNumber >= this.firstNew || this.changed.has(ref.tag)) writer.writeObject(ref, serializeObject(obj));
    }
    return writer.finish({
      size: ctx.largestObjectNumber + 1,
      root: ctx.trailerInfo.Root!,
      ...(ctx.trailerInfo.Info ? { info: ctx.trailerInfo.Info } : {}),
      ...(ctx.trailerInfo.ID ? { id: ctx.trailerInfo.ID } : {}),
    });
  }

  /** pdf-lib rewrites the file (and repairs what it can): our objects are parsed into its context. */
  private async saveWhole(): Promise<Uint8Array[]> {
    const ctx = this.doc.context;
    for (const { ref, body } of this.pending) {
      ctx.assign(ref, PDFObjectParser.forBytes(body, ctx).parseObject());
    }
    return [await this.doc.save({ useObjectStreams: false, updateFieldAppearances: false })];
  }
}

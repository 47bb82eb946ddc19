// Collects what an export adds to a loaded PDF, so it can be appended as an incremental update
// (only the new objects and the changed page dictionaries are written after the original bytes)
// or, for files whose cross-reference data cannot be trusted, saved whole by pdf-lib.
import { PDFObjectParser, type PDFDocument, type PDFRef } from 'pdf-lib';
import { appendIncrementalUpdate, lastXrefSection, serializeObject, type UpdatedObject } from '../signing/pdf-incremental-update';

export class PdfEdit {
  /** objects written as PDF syntax, keyed by object number */
  private readonly raw: UpdatedObject[] = [];
  /** existing objects changed in place (page dictionaries) */
  private readonly changed = new Map<string, PDFRef>();
  /** everything numbered from here on is new, whoever registered it (pdf-lib's font embedder too) */
  private readonly firstNew: number;

  constructor(private readonly doc: PDFDocument) {
    this.firstNew = doc.context.largestObjectNumber + 1;
  }

  /** Reserves an object number; the body can be given later (an annotation names its appearance). */
  reserve(): PDFRef {
    return this.doc.context.nextRef();
  }

  /** `body` without "n 0 obj"; latin1 text or bytes. */
  set(ref: PDFRef, body: string | Uint8Array): void {
    this.raw.push({ ref, body });
  }

  add(body: string | Uint8Array): PDFRef {
    const ref = this.reserve();
    this.set(ref, body);
    return ref;
  }

  markChanged(ref: PDFRef): void {
    this.changed.set(ref.tag, ref);
  }

  /** The original bytes and the update after them; a full pdf-lib save if the file's xref is unusable. */
  async write(original: Uint8Array): Promise<Uint8Array> {
    const { doc } = this;
    const ctx = doc.context;
    await doc.flush(); // embeds fonts used by note text
    let section: ReturnType<typeof lastXrefSection> | undefined;
    try { section = lastXrefSection(original); } catch { section = undefined; }
    if (!section || !ctx.trailerInfo.Root) return this.saveWhole();

    const objects: UpdatedObject[] = [...this.raw];
    for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
      if (ref.objectNumber >= this.firstNew || this.changed.has(ref.tag)) objects.push({ ref, body: serializeObject(obj) });
    }
    return appendIncrementalUpdate(original, objects, {
      size: ctx.largestObjectNumber + 1,
      root: ctx.trailerInfo.Root,
      ...(ctx.trailerInfo.Info ? { info: ctx.trailerInfo.Info } : {}),
      ...(ctx.trailerInfo.ID ? { id: ctx.trailerInfo.ID } : {}),
    }, { xrefStream: section.isStream });
  }

  /** pdf-lib rewrites the file (and repairs what it can): the raw objects are parsed into its context. */
  private async saveWhole(): Promise<Uint8Array> {
    const ctx = this.doc.context;
    for (const { ref, body } of this.raw) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
      ctx.assign(ref, PDFObjectParser.forBytes(bytes, ctx).parseObject());
    }
    return this.doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  }
}

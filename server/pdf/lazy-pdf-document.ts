// A pdf-lib PDFDocument whose objects are read from the file's bytes when pdf-lib first looks them
// up, found through the cross-reference data (pdf-xref.ts). An export touches the catalog, the page
// tree and the pages it marks: a few hundred small objects of a file that may hold 50 MB of scanned
// images, which PDFDocument.load would parse and copy one by one. Only for incremental updates:
// pdf-lib never sees the objects nobody looked up, so saving this document whole would lose them.
import { PDFContext, PDFDocument, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { lastStartXref } from '../signing/pdf-incremental-update';
import { ByteCursor, PdfXrefError, decodeStream, isFree, parseIndirectObject, readXref, type Xref } from './pdf-xref';

type LookupKey = Parameters<PDFContext['lookup']>[0];

/** an object stream's decoded data and where each of its objects starts */
interface ObjectStream {
  data: Uint8Array;
  first: number;
  offsets: Map<number, number>;
}

// pdf-lib's PDFContext and PDFDocument have private constructors (PDFContext.create and
// PDFDocument.load are their factories); the lazy context needs to be a subclass.
const ContextBase = PDFContext as unknown as new () => PDFContext;
const DocumentOf = PDFDocument as unknown as new (
  ctx: PDFContext,
  ignoreEncryption: boolean,
  updateMetadata: boolean,
) => PDFDocument;

class LazyContext extends ContextBase {
  private xref: Xref = { entries: new Map(), trailer: new Map() };
  /** object numbers from here on are not in the file: the export's own */
  private fileSize = 0;
  /** object numbers already read (or found free): pdf-lib's map has the result */
  private readonly read = new Set<number>();
  private readonly objectStreams = new Map<number, ObjectStream>();

  constructor(private readonly bytes: Uint8Array) {
    super();
  }

  /** Reads the cross-reference data and the trailer; throws if they are unusable. */
  open(): void {
    this.xref = readXref(this.bytes, lastStartXref(this.bytes), this);
    const t = (key: string) => this.xref.trailer.get(PDFName.of(key));
    const size = t('Size');
    let highest = 0; // a loop: spreading the keys of a table of a million objects overflows the stack
    for (const num of this.xref.entries.keys()) if (num > highest) highest = num;
    this.fileSize = Math.max(size instanceof PDFNumber ? size.asNumber() : 0, highest + 1);
    this.largestObjectNumber = this.fileSize - 1;
    this.trailerInfo = { Root: t('Root'), Info: t('Info'), ID: t('ID'), Encrypt: t('Encrypt') };
    if (!(this.trailerInfo.Root instanceof PDFRef)) throw new PdfXrefError('no /Root in the trailer');
  }

  override lookupMaybe(ref: LookupKey, ...types: unknown[]): any {
    this.load(ref);
    return (PDFContext.prototype.lookupMaybe as (...a: unknown[]) => unknown).call(this, ref, ...types);
  }

  override lookup(ref: LookupKey, ...types: unknown[]): any {
    this.load(ref);
    return (PDFContext.prototype.lookup as (...a: unknown[]) => unknown).call(this, ref, ...types);
  }

  private load(key: LookupKey): void {
    if (!(key instanceof PDFRef)) return;
    const num = key.objectNumber;
    if (num >= this.fileSize || this.read.has(num)) return;
    this.read.add(num);
    const obj = this.readObject(key);
    if (obj) this.assign(key, obj);
  }

  private readObject(ref: PDFRef): PDFObject | undefined {
    const num = ref.objectNumber;
    const entry = this.xref.entries.get(num);
    // a number below /Size missing from every section: the table is not to be trusted
    if (!entry) throw new PdfXrefError(`object ${num} is not in the cross-reference data`);
    if (isFree(entry)) return undefined; // a reference to a free object is the null object
    if ('stream' in entry) {
      if (ref.generationNumber !== 0) throw new PdfXrefError(`object ${num} ${ref.generationNumber} is in an object stream`);
      return this.fromObjectStream(entry.stream, num);
    }
    const found = parseIndirectObject(this.bytes, entry.offset, this);
    if (found.num !== num || found.gen !== ref.generationNumber)
      throw new PdfXrefError(`object ${num} is not at ${entry.offset}`);
    return found.obj;
  }

  private fromObjectStream(streamNum: number, num: number): PDFObject {
    const s = this.objectStream(streamNum);
    const at = s.offsets.get(num);
    if (at === undefined) throw new PdfXrefError(`object ${num} is not in object stream ${streamNum}`);
    return PDFObjectParser.forBytes(s.data.subarray(s.first + at), this).parseObject();
  }

  private objectStream(streamNum: number): ObjectStream {
    let s = this.objectStreams.get(streamNum);
    if (s) return s;
    const entry = this.xref.entries.get(streamNum);
    if (!entry || !('offset' in entry) || isFree(entry)) throw new PdfXrefError(`object stream ${streamNum} not found`);
    const { num, obj } = parseIndirectObject(this.bytes, entry.offset, this);
    if (num !== streamNum || !(obj instanceof PDFRawStream)) throw new PdfXrefError(`no object stream at ${entry.offset}`);
    const n = obj.dict.get(PDFName.of('N')),
      first = obj.dict.get(PDFName.of('First'));
    if (!(n instanceof PDFNumber) || !(first instanceof PDFNumber))
      throw new PdfXrefError(`object stream ${streamNum} lacks /N or /First`);
    const data = decodeStream(obj);
    // the stream starts with N pairs "object-number offset" (offsets relative to /First)
    const cur = new ByteCursor(data);
    const offsets = new Map<number, number>();
    for (let i = 0; i < n.asNumber(); i++) {
      const objNum = cur.int();
      offsets.set(objNum, cur.int());
    }
    s = { data, first: first.asNumber(), offsets };
    this.objectStreams.set(streamNum, s);
    return s;
  }
}

/**
 * The document, read lazily; undefined when it needs pdf-lib's full load (no usable cross-reference
 * data: pdf-lib reconstructs it from the objects; encrypted: pdf-lib refuses it with its own error).
 */
export function openLazily(bytes: Uint8Array): PDFDocument | undefined {
  try {
    const ctx = new LazyContext(bytes);
    ctx.open();
    if (ctx.trailerInfo.Encrypt) return undefined;
    return new DocumentOf(ctx, false, false);
  } catch {
    return undefined;
  }
}

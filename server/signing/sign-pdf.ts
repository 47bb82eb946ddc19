// Signs a PDF with a visible signature in a given box, as an incremental update: a PAdES baseline
// signature (SubFilter ETSI.CAdES.detached, CMS from cms.ts; the claimed signing time is /M). The
// previous bytes are kept as they are, so the secretary's signature stays valid when the chair signs
// after her (docs/design-notes.md, Stack traps). Steps: (1) preparePdfSignature appends the signature
// dictionary with a /ByteRange + /Contents placeholder, a widget annotation with its appearance in the
// box, the page's /Annots and the /AcroForm, writes the byte range and returns the digest of the
// covered bytes; (2) a CMS over that digest is made here (signPdf) or by the signer's own app
// (deferred signing), and embedCms writes it into /Contents.
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFObject } from 'pdf-lib';
import { formatIsoVn, formatStampTime } from '../../shared/minutes';
import { tagSubsetFonts } from '../pdf/minutes-fonts';
import { buildCmsForDigest } from './cms';
import { appendIncrementalUpdate, serializeObject, type UpdatedObject } from './pdf-incremental-update';
import { addSignatureAppearance } from './signature-appearance';
import type { Signer } from './signer';

export interface SignatureBoxPlacement {
  /** 0-based page index */
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PrepareSignatureOptions {
  box: SignatureBoxPlacement;
  /** shown by readers as the signature's reason, e.g. "Thư ký ký biên bản" */
  reason: string;
  location: string;
  /** the signer's name as written in the box and in /Name */
  name: string;
  /** the user's handwritten signature, a (transparent, blue) PNG */
  signatureImagePng?: Uint8Array;
  signedAt: Date;
  /** field name; defaults to "Signature<n>" */
  fieldName?: string;
  /** bytes reserved for the CMS; 8 KiB holds a chain of a few RSA-4096 certificates, 16 KiB a timestamp too */
  signatureLength?: number;
}

export interface SignPdfOptions extends PrepareSignatureOptions {
  signer: Signer;
  /** asks a TSA for an RFC 3161 timestamp over the signature value (PAdES B-T) */
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
}

/** A PDF with its signature placeholder and final byte range: only /Contents is left to fill. */
export interface PreparedSignature {
  pdf: Uint8Array;
  byteRange: [number, number, number, number];
  /** SHA-256 of the bytes the byte range covers: what the CMS messageDigest must hold */
  digest: Uint8Array;
}

const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 /********** /********** /**********]';

const SIG_FLAGS_SIGNATURES_EXIST_APPEND_ONLY = 3;
const ANNOT_PRINT = 4;

/** A PDF text string in UTF-16BE with BOM (FE FF): how non-ASCII must be written in /Reason etc. */
function textString(s: string): string {
  return PDFHexString.fromText(s.normalize('NFC')).toString();
}

/** PDF date in Vietnam time: D:YYYYMMDDHHmmSS+07'00' */
function pdfDate(at: Date): string {
  const iso = formatIsoVn(at); // 2026-11-21T10:15:00+07:00
  return `(D:${iso.slice(0, 19).replace(/[-T:]/g, '')}+07'00')`;
}

export async function preparePdfSignature(pdfBytes: Uint8Array, options: PrepareSignatureOptions): Promise<PreparedSignature> {
  const doc = await PDFDocument.load(pdfBytes, { updateMetadata: false });
  const context = doc.context;
  const firstNewObject = context.largestObjectNumber + 1;
  const changed = new Map<string, PDFRef>();
  const markChanged = (ref: PDFRef) => changed.set(ref.tag, ref);

  const pages = doc.getPages();
  const page = pages[options.box.page];
  if (!page) throw new RangeError(`page ${options.box.page} does not exist (the document has ${pages.length})`);
  const { x, y, width, height } = options.box;

  // appearance (font subset, optional image) and the widget that shows it
  const appearance = await addSignatureAppearance(doc, {
    width,
    height,
    signerName: options.name,
    signedAtText: formatStampTime(options.signedAt),
    signatureImagePng: options.signatureImagePng,
  });
  await tagSubsetFonts(doc, appearance.fonts);

  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new Error('PDF catalog is not an indirect object');
  const catalog = doc.catalog;

  // AcroForm: reuse the existing one (indirect or inline in the catalog) or create it
  let acroForm: PDFDict;
  const acroEntry = catalog.get(PDFName.of('AcroForm'));
  if (acroEntry instanceof PDFRef) {
    acroForm = context.lookup(acroEntry, PDFDict);
    markChanged(acroEntry);
  } else if (acroEntry instanceof PDFDict) {
    acroForm = acroEntry;
    markChanged(catalogRef);
  } else {
    acroForm = context.obj({ Fields: [] });
    catalog.set(PDFName.of('AcroForm'), context.register(acroForm));
    markChanged(catalogRef);
  }
  let fields: PDFArray;
  const fieldsEntry = acroForm.get(PDFName.of('Fields'));
  if (fieldsEntry instanceof PDFRef) {
    fields = context.lookup(fieldsEntry, PDFArray);
    markChanged(fieldsEntry);
  } else if (fieldsEntry instanceof PDFArray) {
    fields = fieldsEntry;
  } else {
    fields = context.obj([]);
    acroForm.set(PDFName.of('Fields'), fields);
  }
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(SIG_FLAGS_SIGNATURES_EXIST_APPEND_ONLY));

  // the signature dictionary is written by hand: the placeholder text is found again below, with
  // /Contents after /ByteRange
  const sigRef = context.nextRef();
  const contentsLength = options.signatureLength ?? 8192;
  const sigDict = [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    '/SubFilter /ETSI.CAdES.detached',
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${'0'.repeat(contentsLength * 2)}>`,
    `/Reason ${textString(options.reason)}`,
    `/Location ${textString(options.location)}`,
    `/Name ${textString(options.name)}`,
    `/M ${pdfDate(options.signedAt)}`,
    '/Prop_Build << /App << /Name /HopSo >> >>',
    '>>',
  ].join('\n');

  const fieldName = options.fieldName ?? `Signature${fields.size() + 1}`;
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [x, y, x + width, y + height],
    V: sigRef,
    T: PDFHexString.fromText(fieldName),
    F: ANNOT_PRINT,
    P: page.ref,
    AP: { N: appearance.ref },
  });
  const widgetRef = context.register(widget);
  fields.push(widgetRef);

  // the page lists the widget among its annotations
  const annotsEntry = page.node.get(PDFName.of('Annots'));
  if (annotsEntry instanceof PDFRef) {
    context.lookup(annotsEntry, PDFArray).push(widgetRef);
    markChanged(annotsEntry);
  } else {
    const annots = annotsEntry instanceof PDFArray ? annotsEntry : context.obj([]);
    annots.push(widgetRef);
    page.node.set(PDFName.of('Annots'), annots);
    markChanged(page.ref);
  }

  // everything new (object numbers past the original's) plus what was changed in place
  const objects: UpdatedObject[] = [{ ref: sigRef, body: Buffer.from(sigDict, 'latin1') }];
  for (const [ref, obj] of context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNewObject || changed.has(ref.tag)) objects.push({ ref, body: serializeObject(obj) });
  }
  const updated = appendIncrementalUpdate(pdfBytes, objects, {
    size: context.largestObjectNumber + 1,
    root: catalogRef,
    info: context.trailerInfo.Info as PDFObject | undefined,
    id: context.trailerInfo.ID as PDFObject | undefined,
  });

  return withByteRange(updated);
}

/** Writes the byte range over the (last) placeholder: everything but the /Contents hex string. */
function withByteRange(updated: Uint8Array): PreparedSignature {
  const pdf = Buffer.from(updated);
  const at = pdf.lastIndexOf(BYTE_RANGE_PLACEHOLDER, undefined, 'latin1');
  if (at < 0) throw new Error('signature placeholder not found');
  const open = pdf.indexOf('/Contents <', at, 'latin1') + '/Contents '.length;
  const close = pdf.indexOf('>', open, 'latin1') + 1;
  if (open < at || close <= open) throw new Error('signature /Contents not found');
  const byteRange: PreparedSignature['byteRange'] = [0, open, close, pdf.length - close];
  const text = `/ByteRange [${byteRange.join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  if (text.length > BYTE_RANGE_PLACEHOLDER.length) throw new Error('byte range too long for its placeholder');
  pdf.write(text, at, 'latin1');
  const digest = createHash('sha256').update(pdf.subarray(0, open)).update(pdf.subarray(close)).digest();
  return { pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength), byteRange, digest: new Uint8Array(digest) };
}

/** Writes a DER CMS into the prepared signature's /Contents (hex, zero-padded). */
export function embedCms(prepared: Pick<PreparedSignature, 'pdf' | 'byteRange'>, cms: Uint8Array): Uint8Array {
  const [, open, close] = prepared.byteRange;
  const room = close - open - 2;
  const hex = Buffer.from(cms).toString('hex');
  if (hex.length > room) throw new CmsTooLarge(cms.length, room / 2);
  const out = Buffer.from(prepared.pdf); // a copy: the prepared bytes may be embedded again
  if (out[open] !== 0x3c || out[close - 1] !== 0x3e) throw new Error('byte range gap is not the /Contents string');
  out.write(hex.padEnd(room, '0'), open + 1, 'latin1');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export class CmsTooLarge extends Error {
  constructor(
    readonly size: number,
    readonly room: number,
  ) {
    super(`the signature (${size} bytes) does not fit the ${room} bytes reserved for it`);
  }
}

export async function signPdf(pdfBytes: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const { signer, timestamp, ...rest } = options;
  const prepared = await preparePdfSignature(pdfBytes, {
    ...rest,
    signatureLength: rest.signatureLength ?? (timestamp ? 16384 : 8192),
  });
  const cms = await buildCmsForDigest(prepared.digest, signer, timestamp ? { timestamp } : {});
  return embedCms(prepared, cms);
}

// Signs a PDF with a visible signature in a given box, as an incremental update: a PDF signature of
// subfilter adbe.pkcs7.detached (not yet PAdES baseline: that needs ETSI.CAdES.detached and a
// signing-certificate-v2 attribute). The previous bytes
// are kept as they are, so the secretary's signature stays valid when the chair signs after her
// (docs/design-notes.md, Stack traps). Steps: (1) append the signature dictionary with a /ByteRange + /Contents placeholder,
// a widget annotation with its appearance in the box, the page's /Annots and the /AcroForm;
// (2) let @signpdf/signpdf fill in the byte range and the CMS built by CmsSigner.
import { SignPdf } from '@signpdf/signpdf';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFObject } from 'pdf-lib';
import { formatIsoVn, formatStampTime } from '../../shared/minutes';
import { tagSubsetFonts } from '../pdf/minutes-fonts';
import { CmsSigner } from './cms';
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

export interface SignPdfOptions {
  signer: Signer;
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
  /** bytes reserved for the CMS; 8 KiB holds a chain of a few RSA-4096 certificates */
  signatureLength?: number;
}

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

export async function signPdf(pdfBytes: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
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

  // the signature dictionary is written by hand: @signpdf looks for this exact placeholder text,
  // with /Contents after /ByteRange
  const sigRef = context.nextRef();
  const contentsLength = options.signatureLength ?? 8192;
  const sigDict = [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    '/SubFilter /adbe.pkcs7.detached',
    '/ByteRange [0 /********** /********** /**********]',
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

  const signed = await new SignPdf().sign(Buffer.from(updated), new CmsSigner(options.signer), options.signedAt);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}

// Object order for the web copy (web-copy-worker.mjs): page 1's objects get the lowest numbers.
// pdf-lib writes uncompressed objects (streams: content, images, fonts) by ascending number, so
// everything page 1 draws then sits at the start of the file, where the viewer's first Range
// request already is: the viewer fetches that prefix while pdf.js's worker boots, and the first
// page paints without a round trip of its own (client/src/viewer/pdfjs.ts). Plain JS, like the
// worker that imports it.
import { PDFArray, PDFDict, PDFName, PDFNull, PDFRef, PDFStream } from 'pdf-lib';

const PARENT = PDFName.of('Parent');
const TYPE = PDFName.of('Type');
/** @type {Set<unknown>} (a lookup by any PDF object: only the two names are in it) */
const PAGE_NODES = new Set([PDFName.of('Page'), PDFName.of('Pages')]);

/** The references inside an object, through direct dicts and arrays; /Parent, which leads to every page, is not followed. */
function* refsIn(obj) {
  if (obj instanceof PDFRef) yield obj;
  else if (obj instanceof PDFStream) yield* refsIn(obj.dict);
  else if (obj instanceof PDFDict) {
    for (const [key, value] of obj.entries()) if (key !== PARENT) yield* refsIn(value);
  } else if (obj instanceof PDFArray) {
    for (const value of obj.asArray()) yield* refsIn(value);
  }
}

/** Page 1 and what it reaches (its resources, inherited ones too) without entering another page. */
function pageOneObjects(doc) {
  const page = doc.getPage(0);
  const found = new Set([page.ref]);
  const todo = [...refsIn(page.node), ...refsIn(page.node.Resources())];
  while (todo.length > 0) {
    const ref = todo.pop();
    if (found.has(ref)) continue;
    const obj = doc.context.lookup(ref);
    // a link to another page (an annotation's /Dest, say) is not page 1's to draw
    if (obj === undefined || (obj instanceof PDFDict && PAGE_NODES.has(obj.get(TYPE)))) continue;
    found.add(ref);
    todo.push(...refsIn(obj));
  }
  return found;
}

/** Rewrites every reference inside an object (in place) through `renamed`. */
function refRewriter(renamed) {
  const done = new Set();
  const rewrite = (obj) => {
    // a reference to no object is null (ISO 32000 7.3.10); keeping its number could alias a renumbered one
    if (obj instanceof PDFRef) return renamed.get(obj) ?? PDFNull;
    if (done.has(obj)) return obj;
    if (obj instanceof PDFStream) {
      done.add(obj);
      rewrite(obj.dict);
    } else if (obj instanceof PDFDict) {
      done.add(obj);
      for (const [key, value] of obj.entries()) obj.set(key, rewrite(value));
    } else if (obj instanceof PDFArray) {
      done.add(obj);
      for (let i = 0; i < obj.size(); i++) obj.set(i, rewrite(obj.get(i)));
    }
    return obj;
  };
  return rewrite;
}

/**
 * Renumbers a loaded document's objects 1..n, page 1's first, the others in their old order. Only
 * for a document as loaded (objects pdf-lib embeds itself get their numbers when saved), and only
 * to be saved afterwards: its cached PDFPage objects keep their old refs.
 */
export function putPageOneFirst(doc) {
  const { context } = doc;
  const first = pageOneObjects(doc);
  const objects = context.enumerateIndirectObjects();
  const order = [...objects.filter(([ref]) => first.has(ref)), ...objects.filter(([ref]) => !first.has(ref))];
  const renamed = new Map(order.map(([ref], i) => [ref, PDFRef.of(i + 1)]));
  const rewrite = refRewriter(renamed);
  for (const [ref] of objects) context.delete(ref);
  context.largestObjectNumber = 0;
  for (const [ref, obj] of order) context.assign(renamed.get(ref), rewrite(obj));
  const { trailerInfo } = context;
  if (trailerInfo.Root) trailerInfo.Root = rewrite(trailerInfo.Root);
  if (trailerInfo.Info) trailerInfo.Info = rewrite(trailerInfo.Info);
}

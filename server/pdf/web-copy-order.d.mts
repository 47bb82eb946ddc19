// Types for web-copy-order.mjs (plain JS, so the web-copy worker runs under plain node too).
import type { PDFDocument } from 'pdf-lib';

/** Renumbers a loaded document's objects 1..n, page 1's first (nothing embedded since loading; save it afterwards, nothing else). */
export function putPageOneFirst(doc: PDFDocument): void;

// A header of the document file route (server/routes/documents/send-document-file.ts), read by the
// viewer (client/src/viewer/pdfjs.ts): page 1 draws from the file's first N bytes (and the objects
// pdf.js reads to open the document, at its end). The viewer fetches that prefix while pdf.js's
// worker boots instead of discovering it chunk by chunk after the document has opened.
export const FIRST_PAGE_BYTES_HEADER = 'Hopso-First-Page-Bytes';

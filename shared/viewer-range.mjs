// The viewer's Range chunk (client/src/viewer/pdfjs.ts): its first request, and pdf.js's unit for
// every other. The web-copy worker measures page 1's prefix the way the viewer reads the file, so it
// must use the same chunk (server/pdf/web-copy-worker.mjs). Plain JS: that worker runs under plain
// node too.
export const VIEWER_RANGE_CHUNK = 64 * 1024;

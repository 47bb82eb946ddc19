// Types for viewer-range.mjs (plain JS, so the web-copy worker can import it under plain node).
/** The viewer's Range chunk in bytes: its first request, and pdf.js's unit for every other. */
export const VIEWER_RANGE_CHUNK: number;

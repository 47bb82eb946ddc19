// The text of each page of a document, as the upload's extraction stored it (document_page_texts,
// server/pdf/extract-text.ts). Read by name through SQL so search is built against this one small
// interface whether or not that table is there yet in this database: without it, documents are
// found by their title and file name only.
import type { Db } from '../db/client';

export const PAGE_TEXT_TABLE = 'document_page_texts';

export function hasPageTexts(db: Db): boolean {
  return db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(PAGE_TEXT_TABLE) !== undefined;
}

export function documentPageTexts(db: Db, documentId: string): Array<{ page: number; text: string }> {
  if (!hasPageTexts(db)) return [];
  return db.$client
    .prepare(`SELECT page, text FROM ${PAGE_TEXT_TABLE} WHERE document_id = ? ORDER BY page`)
    .all(documentId) as Array<{ page: number; text: string }>;
}

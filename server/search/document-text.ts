// The text of each page of a document, as the upload's extraction stored it (document_page_texts,
// server/pdf/extract-text.ts). Read by name through SQL so search is built against this one small
// interface whether or not that table is there yet in this database: without it, documents are
// found by their title and file name only.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { Query, Tables } from '../db/store';

export const PAGE_TEXT_TABLE = 'document_page_texts';

export function hasPageTexts(db: Db): boolean {
  return db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(PAGE_TEXT_TABLE) !== undefined;
}

/** Each page's text with its number, in page order (on the Store: the table exists in both schemas). */
export async function documentPageTexts(q: Query, t: Tables, documentId: string): Promise<Array<{ page: number; text: string }>> {
  return q
    .select({ page: t.documentPageTexts.page, text: t.documentPageTexts.text })
    .from(t.documentPageTexts)
    .where(eq(t.documentPageTexts.documentId, documentId))
    .orderBy(asc(t.documentPageTexts.page));
}

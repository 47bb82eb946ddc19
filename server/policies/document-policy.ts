// Who may do what with a meeting's document (one policy file per resource, docs/ARCHITECTURE.md).
// Pure: (the caller's standing in the meeting, the document) → yes/no, or the refusal to throw.
// Every read of one document goes through services/document-access.ts, which asks here; lists and
// the search index ask `draftsVisibleTo` / `indexedForMembers`.
//   - A draft (not yet sent, publishedAt null) is the officers' alone: NOT_FOUND for anyone else,
//     exactly like a document that does not exist (issue 15).
//   - A confidential document (tài liệu mật) is read by members only as their watermarked copy in
//     the viewer: its text (version changes, search snippets) and downloads (the annotated export,
//     the original file) are its officers' alone (CONFIDENTIAL_DOCUMENT).
import { AppError, notFound } from '../errors';
import { isOfficer, type MeetingAccess } from './meeting-policy';

/** What a document is wanted for. */
export type DocumentPurpose =
  /** its record, marks, and the file as the caller may see it (a member: a confidential one watermarked) */
  | 'read'
  /** its text as text: what changed from the previous version */
  | 'text'
  /**
   * each page's text served for find in the viewer (/api/documents/:id/text): never a confidential
   * document's, to anybody — members read it only as their watermarked copy, and the viewer falls
   * back to pdf.js (docs/confidential-documents.md)
   */
  | 'findText'
  /** a download that leaves the viewer: the annotated export */
  | 'export'
  /** rename, mark confidential, publish, new version, readers and reminders */
  | 'manage';

/** The facts of a document the rules read. */
export interface DocumentFacts {
  publishedAt: string | null;
  confidentiality: string | null;
}

/** The officers (those who upload): they prepare drafts, publish them, and hold the originals. */
const officer = (a: MeetingAccess): boolean => isOfficer(a);

/** Whether this member sees the meeting's drafts: the officers, who prepare and publish them. */
export const draftsVisibleTo = (a: MeetingAccess): boolean => officer(a);

/** Whether the caller may read this document's original bytes and text (a confidential one: officers only). */
export const readsOriginal = (a: MeetingAccess, doc: DocumentFacts): boolean => !doc.confidentiality || officer(a);

/** What the members' shared search index may hold of a document: its title once sent, its text unless confidential. */
export const indexedForMembers = (doc: DocumentFacts): { title: boolean; text: boolean } => ({
  title: doc.publishedAt !== null,
  text: doc.publishedAt !== null && !doc.confidentiality,
});

/** The refusal for `purpose` (null: allowed). NOT_FOUND first, so a draft's existence is not told. */
export function documentRefusal(a: MeetingAccess, doc: DocumentFacts, purpose: DocumentPurpose): AppError | null {
  if (doc.publishedAt === null && !draftsVisibleTo(a)) return notFound('Document');
  switch (purpose) {
    case 'read':
      return null;
    case 'manage':
      return officer(a) ? null : new AppError('FORBIDDEN', 'Your role may not manage documents in this meeting');
    case 'text':
      return readsOriginal(a, doc)
        ? null
        : new AppError('CONFIDENTIAL_DOCUMENT', 'This document is confidential: its text is read only in the viewer');
    case 'findText':
      return doc.confidentiality
        ? new AppError('CONFIDENTIAL_DOCUMENT', 'The text of a confidential document is not served')
        : null;
    case 'export':
      return readsOriginal(a, doc)
        ? null
        : new AppError('CONFIDENTIAL_DOCUMENT', 'This document is confidential: it cannot be downloaded, with or without marks');
  }
}

export const canDocument = (a: MeetingAccess, doc: DocumentFacts, purpose: DocumentPurpose): boolean =>
  documentRefusal(a, doc, purpose) === null;

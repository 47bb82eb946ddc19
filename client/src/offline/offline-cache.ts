// Reading through the device's store (offline-db.ts): every answer the member loads is kept, and
// when the network is gone the last one kept is shown instead of an error. A document's PDF is kept
// whole once its meeting is opened online — never a confidential one's, unless the office allows it
// for that document (documents.offline_allowed): then the member's own watermarked copy is kept.
import type { DocumentAnnotations } from '../../../shared/annotations';
import type { MeetingDetail } from '../../../shared/api';
import { isApiError } from '../api/http';
import { offlineChanged, offlineDb } from './offline-db';
import { afterFirstPaint } from './after-first-paint';

/** The network is the problem (no answer at all), not the server's refusal. */
export const isNetworkError = (e: unknown) => (isApiError(e) && e.code === 'NETWORK') || e instanceof TypeError;

/** `load()`'s answer, kept under `key`; offline, the one kept last time (or the network error). */
export async function throughCache<T>(key: string, load: () => Promise<T>): Promise<T> {
  const store = offlineDb();
  try {
    const fresh = await load();
    if (store) void store.then((db) => db.put('kv', fresh, key)).catch(() => undefined);
    return fresh;
  } catch (e) {
    if (!store || !isNetworkError(e)) throw e;
    const kept = await store.then((db) => db.get('kv', key)).catch(() => undefined);
    if (kept === undefined) throw e;
    return kept as T;
  }
}

/** Ordinary documents, and confidential ones the office lets members keep (as their watermarked copy). */
export const mayKeep = (d: { confidentiality: string | null; offlineAllowed: boolean }) =>
  d.confidentiality === null || d.offlineAllowed;

/** Keeps the meeting's readable documents' bytes (those not kept yet), and forgets the ones it no longer lists. */
export async function keepDocuments(detail: MeetingDetail): Promise<void> {
  const store = offlineDb();
  if (!store) return;
  const db = await store;
  const wanted = new Set(detail.documents.filter(mayKeep).map((d) => d.id));
  // whole downloads only once the open document has painted (they would delay its first page)
  await afterFirstPaint();
  // a document gone from the meeting, or marked confidential since, leaves the device
  // (keys through the meeting's index: no kept file's bytes are read)
  for (const key of await db.getAllKeysFromIndex('files', 'byMeeting', detail.meeting.id)) {
    if (!wanted.has(key)) await db.delete('files', key);
  }
  for (const id of wanted) {
    if (await db.getKey('files', id)) continue;
    const res = await fetch(`/api/documents/${encodeURIComponent(id)}/file`, { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) continue;
    const bytes = await res.arrayBuffer();
    if (offlineDb() !== store) return; // signed out meanwhile
    await db.put('files', { documentId: id, meetingId: detail.meeting.id, bytes, savedAt: new Date().toISOString() }, id);
  }
  offlineChanged();
}

/** The kept bytes of a document, or null. */
export async function keptDocument(documentId: string): Promise<Uint8Array | null> {
  const store = offlineDb();
  if (!store) return null;
  const f = await store.then((db) => db.get('files', documentId)).catch(() => undefined);
  return f ? new Uint8Array(f.bytes) : null;
}

export async function keepAnnotations(documentId: string, data: DocumentAnnotations): Promise<void> {
  const store = offlineDb();
  if (store) await store.then((db) => db.put('annotations', data, documentId)).catch(() => undefined);
}

export async function keptAnnotations(documentId: string): Promise<DocumentAnnotations | null> {
  const store = offlineDb();
  if (!store) return null;
  return (await store.then((db) => db.get('annotations', documentId)).catch(() => undefined)) ?? null;
}

/** What this app keeps (bytes, roughly for the JSON) and what the browser says the origin uses. */
export async function offlineUsage(): Promise<{ kept: number; documents: number; origin: number | null; quota: number | null }> {
  let kept = 0;
  let documents = 0;
  const store = offlineDb();
  if (store) {
    const db = await store;
    for (const f of await db.getAll('files')) {
      kept += f.bytes.byteLength;
      documents++;
    }
    for (const v of await db.getAll('kv')) kept += JSON.stringify(v).length;
    for (const v of await db.getAll('annotations')) kept += JSON.stringify(v).length;
  }
  const est = typeof navigator.storage?.estimate === 'function' ? await navigator.storage.estimate().catch(() => null) : null;
  return { kept, documents, origin: est?.usage ?? null, quota: est?.quota ?? null };
}

/** Clears what was kept for reading; changes still waiting to be sent (outbox) stay. */
export async function clearKept(): Promise<void> {
  const store = offlineDb();
  if (!store) return;
  const db = await store;
  await Promise.all([db.clear('kv'), db.clear('files'), db.clear('annotations')]);
  offlineChanged();
}

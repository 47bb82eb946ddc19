// What a member keeps on this device to read and annotate without network (issue 17, item 3), in
// IndexedDB through `idb`, one database per account: `hopso-offline-<userId>`. Logging out deletes
// the account's database; signing in deletes every other account's, so the next person on a shared
// tablet finds nothing of the last one's. The service worker caches only the app shell, never /api.
// Stores:
//   kv           meetings list and each meeting's detail as last loaded ('meetings', 'meeting:<id>')
//   files        a document's PDF bytes (never a confidential one's), by document id
//   annotations  a document's marks as last loaded (GET …/annotations), by document id
//   outbox       live commands made while offline, in order, until the server answers them
//   conflicts    queued commands the server refused once back online, until the user dismisses them
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DocumentAnnotations } from '../../../shared/annotations';

export const DB_PREFIX = 'hopso-offline-';
const ACCOUNT_KEY = 'hop.offline.account';

export interface QueuedCommand {
  /** the command id: the server dedups by it, so a re-send after a lost ack is harmless */
  id: string;
  meetingId: string;
  type: string;
  payload: unknown;
  at: string;
}

export interface Conflict {
  id: string;
  meetingId: string;
  type: string;
  payload: unknown;
  code: string;
  message: string;
  at: string;
}

interface OfflineSchema extends DBSchema {
  kv: { key: string; value: unknown };
  files: {
    key: string;
    value: { documentId: string; meetingId: string; bytes: ArrayBuffer; savedAt: string };
    indexes: { byMeeting: string };
  };
  annotations: { key: string; value: DocumentAnnotations };
  outbox: { key: number; value: QueuedCommand; indexes: { byMeeting: string } };
  conflicts: { key: string; value: Conflict };
}

export type OfflineDb = IDBPDatabase<OfflineSchema>;

let current: { userId: string; db: Promise<OfflineDb> } | null = null;

function open(userId: string): Promise<OfflineDb> {
  return openDB<OfflineSchema>(DB_PREFIX + userId, 2, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('kv');
        db.createObjectStore('files');
        db.createObjectStore('annotations');
        db.createObjectStore('outbox', { autoIncrement: true }).createIndex('byMeeting', 'meetingId');
        db.createObjectStore('conflicts', { keyPath: 'id' });
      }
      // version 2: a meeting's kept files found by key, without reading every kept file's bytes
      if (oldVersion < 2) tx.objectStore('files').createIndex('byMeeting', 'meetingId');
    },
  });
}

/** The signed-in account's store (null when nobody is, or IndexedDB is unavailable). */
export function offlineDb(): Promise<OfflineDb> | null {
  return current?.db ?? null;
}

/**
 * Signed in as `user`: opens their store, remembers them as this device's offline account (so a
 * reload without network opens their meetings), and deletes every other account's store.
 */
export async function startOffline(user: { id: string }): Promise<void> {
  if (typeof indexedDB === 'undefined' || current?.userId === user.id) return;
  // the last account's connection is closed first: an open one would hold its deletion back
  if (current) void current.db.then((db) => db.close()).catch(() => undefined);
  current = { userId: user.id, db: open(user.id) };
  current.db.catch(() => {
    current = null;
  });
  try {
    localStorage.setItem(ACCOUNT_KEY, JSON.stringify(user));
  } catch {
    /* storage blocked */
  }
  await deleteOtherAccounts(user.id);
}

/** The account last signed in on this device, to open offline without asking the server; null if none. */
export function offlineAccount<T>(): T | null {
  try {
    const raw = localStorage.getItem(ACCOUNT_KEY);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

async function deleteOtherAccounts(keep: string | null): Promise<void> {
  const all = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
  await Promise.all(
    all
      .map((d) => d.name)
      .filter(
        (n): n is string => typeof n === 'string' && n.startsWith(DB_PREFIX) && n !== (keep === null ? null : DB_PREFIX + keep),
      )
      .map((n) => deleteDB(n)),
  );
}

/** Signed out: closes and deletes the account's store (and any other left behind) and forgets the account. */
export async function endOffline(): Promise<void> {
  const was = current;
  current = null;
  try {
    localStorage.removeItem(ACCOUNT_KEY);
  } catch {
    /* storage blocked */
  }
  if (typeof indexedDB === 'undefined') return;
  if (was) {
    try {
      (await was.db).close();
    } catch {
      /* never opened */
    }
  }
  await deleteOtherAccounts(null);
  offlineChanged();
}

// ---- listeners: the storage panel and the waiting counter re-read when the store changes
const listeners = new Set<() => void>();
export function onOfflineChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
export function offlineChanged(): void {
  for (const l of listeners) l();
}

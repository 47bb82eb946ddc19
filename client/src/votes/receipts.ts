// The voter's own receipt codes (the server forgets who holds which one when the vote closes), so the
// published list can be checked later: voteId → memberId → receipt. Never kept on the device in
// clear (issue 17): localStorage holds them only encrypted (AES-256-GCM, WebCrypto) under a key the
// server gives the signed-in account alone (GET /api/me/device-key). Signed out, or another person
// signed in on the shared tablet, the stored bytes cannot be read. Where WebCrypto is missing (a
// page served over plain HTTP from another host) nothing is stored: the receipt stays on screen only.
import { useSyncExternalStore } from 'react';
import { request } from '../api/http';

const PREFIX = 'hopso.receipts.v2.';
/** what older builds kept in clear: removed on sight */
const LEGACY = 'hopso.receipts';

type Stored = Record<string, Record<string, string>>;
const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;

let current: { userId: string; key: CryptoKey; data: Stored } | null = null;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const fromBase64url = (text: string) =>
  unb64(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));

/** Opens the signed-in account's receipts on this device (called at sign-in). */
export async function openReceipts(userId: string): Promise<void> {
  try {
    localStorage.removeItem(LEGACY);
  } catch {
    /* storage blocked */
  }
  if (!globalThis.crypto?.subtle) return;
  const { key } = await request<{ key: string }>('GET', '/api/me/device-key');
  const cryptoKey = await crypto.subtle.importKey('raw', fromBase64url(key), 'AES-GCM', false, ['encrypt', 'decrypt']);
  let data: Stored = {};
  try {
    const raw = localStorage.getItem(PREFIX + userId);
    if (raw) {
      const { iv, ct } = JSON.parse(raw) as { iv: string; ct: string };
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv) }, cryptoKey, unb64(ct));
      data = JSON.parse(new TextDecoder().decode(plain)) as Stored;
    }
  } catch {
    data = {}; // unreadable (another server's key, damaged): start again
  }
  // receipts saved while the key was on its way are kept
  const pending = current?.userId === userId ? current.data : {};
  current = { userId, key: cryptoKey, data: { ...data, ...pending } };
  notify();
}

/** Signed out: forget the key and the receipts (the device keeps only their ciphertext). */
export function closeReceipts(): void {
  current = null;
  notify();
}

async function persist(c: NonNullable<typeof current>): Promise<void> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, c.key, new TextEncoder().encode(JSON.stringify(c.data))),
  );
  try {
    localStorage.setItem(PREFIX + c.userId, JSON.stringify({ iv: b64(iv), ct: b64(ct) }));
  } catch {
    // storage blocked: the receipt is still on screen
  }
}

export function saveReceipt(voteId: string, memberId: string, receipt: string): void {
  if (!current) return;
  current.data = { ...current.data, [voteId]: { ...current.data[voteId], [memberId]: receipt } };
  notify();
  void persist(current).catch(() => undefined);
}

export function receiptsOf(voteId: string): Record<string, string> {
  return current?.data[voteId] ?? EMPTY;
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};

/** The receipts of one vote, re-rendering when they arrive (the key loads after sign-in). */
export function useReceipts(voteId: string): Record<string, string> {
  return useSyncExternalStore(subscribe, () => receiptsOf(voteId));
}

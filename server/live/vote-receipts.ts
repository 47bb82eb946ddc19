// Receipt codes for secret ballots.
//
// receipt = base32(HMAC(voteKey, voteId:memberId)), where voteKey is random per vote. The server
// must answer a repeated ballot with the first ballot's receipt, so it has to be able to find a
// voter's receipt while the vote is open; deriving it (instead of storing voter → receipt anywhere)
// keeps that ability in one 32-byte key. The key is stored sealed (AES-256-GCM) under a key derived
// from the secret in DATA_DIR/secrets — so a copy of the database alone never pairs a voter with a
// ballot — and it is erased in the transaction that closes the vote: from then on nobody, the
// server included, can recompute who holds which receipt. "Erased" holds for the files too:
// secure_delete zeroes the freed cell, and the WAL frames that held older copies of the row are
// checkpointed and truncated right after that commit (server/db/scrub.ts).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import type { LiveTokens } from './live-tokens';

const SEAL_LABEL = 'vote-receipt-seal';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function sealNewReceiptKey(tokens: LiveTokens): string {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', tokens.derivedKey(SEAL_LABEL), iv);
  const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.');
}

function unseal(tokens: LiveTokens, text: string): Buffer {
  const [iv, tag, sealed] = text.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !sealed) throw new Error('malformed sealed receipt key');
  const decipher = createDecipheriv('aes-256-gcm', tokens.derivedKey(SEAL_LABEL), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed), decipher.final()]);
}

/** 10 Crockford base32 characters (50 bits) as XXXXX-XXXXX: easy to read out, check and compare. */
export function receiptFrom(key: Buffer, voteId: string, memberId: string): string {
  const mac = createHmac('sha256', key).update(`${voteId}:${memberId}`).digest();
  let bits = 0n;
  for (let i = 0; i < 7; i++) bits = (bits << 8n) | BigInt(mac[i] ?? 0);
  let out = '';
  for (let i = 0; i < 10; i++) out += CROCKFORD[Number((bits >> BigInt(56 - 5 * (i + 1))) & 31n)];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/** An open secret vote's key (receipts, and the sealing of its ballots: vote-ballot-box.ts), or null once it is gone. */
export async function voteKey(
  q: Query,
  t: Tables,
  tokens: LiveTokens,
  meetingId: string,
  voteId: string,
): Promise<Buffer | null> {
  const [row] = await q
    .select({ key: t.votes.receiptKey })
    .from(t.votes)
    .where(and(eq(t.votes.id, voteId), eq(t.votes.meetingId, meetingId)));
  return row?.key ? unseal(tokens, row.key) : null;
}

/** The receipt of a member's ballot in an open secret vote, or null once the key is gone. */
export async function receiptFor(
  q: Query,
  t: Tables,
  tokens: LiveTokens,
  meetingId: string,
  voteId: string,
  memberId: string,
): Promise<string | null> {
  const key = await voteKey(q, t, tokens, meetingId, voteId);
  return key ? receiptFrom(key, voteId, memberId) : null;
}

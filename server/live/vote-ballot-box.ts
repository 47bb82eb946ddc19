// The ballot box of a secret vote: where a choice waits between ballot.cast and vote.close.
//
// Why not write { receipt, choice } straight into secret_ballots at each ballot: the files keep
// cast order even when the rows do not. SQLite carves each new cell from the end of the free space
// towards the start of the page, so byte offsets on a page are insertion order; and every commit
// appends the changed pages to the WAL, so the frame that first shows a receipt is the frame that
// first shows the voter's ballot.cast event. Reading the raw bytes paired every voter with a choice
// (tests/integration/secret-ballot-forensics.test.ts).
//
// Why not keep the ballots in memory until close: an acknowledged ballot must survive a crash.
//
// So each ballot is stored at once, durably, but sealed: AES-256-GCM under a key derived from the
// vote's own key (vote-receipts.ts), the receipt and choice padded to one length so the ciphertext
// size does not tell "for" from "against". Its place on disk still follows cast order; what sits
// there is unreadable without the vote key, which is itself sealed under DATA_DIR's secret. At close,
// in one transaction, the box is opened, the ballots are written into secret_ballots in receipt order
// (a random order the published list shows anyway, all with the one commit of vote.close), the
// sealed rows are deleted and the vote key erased. Then, after the commit, the WAL is checkpointed
// and truncated (server/db/scrub.ts), and secure_delete (server/db/client.ts) has already zeroed the
// freed cells: no file holds the key or a sealed ballot any more, so nothing can be unsealed.
// Limit: someone holding both the database and DATA_DIR's secret WHILE the vote is open can unseal
// it (as they could recompute receipts); after close, nobody can.
//
// PostgreSQL (DESIGN.md "Beyond one machine") will need the same shape and more scrubbing: heap
// tuples are appended in insertion order (ctid) and carry xmin, the inserting transaction id, which
// would equal the xmin of the voter's ballot.cast event row; so ballots must likewise be sealed while
// open and published in the close transaction (one xmin for all, inserted in receipt order). Deleted
// sealed rows and the old votes row with the key stay as dead tuples until VACUUM, and their bytes
// may survive in the page and in pg_wal (full-page images) until the segments are recycled; the
// PostgreSQL version should keep the per-vote key out of the database (e.g. a file under DATA_DIR,
// overwritten and removed at close), VACUUM the two tables after close, and checkpoint so pg_wal
// segments holding sealed ballots are recycled (no WAL archiving of those, or accept that archives
// hold sealed ballots whose key no longer exists anywhere).
//
// Built for PostgreSQL (issue 14): the plan above, on both dialects. Until close only sealed rows
// exist (durable: an acknowledged ballot survives a crash, in sealed_ballots, exactly as on SQLite);
// no secret_ballots row exists for an open vote. At close the ballots are inserted in one statement
// of the close transaction, in receipt order: every row gets the close transaction's xmin, and
// their ctids follow the receipts. That order IS a shuffle with crypto randomness (a receipt is an
// HMAC under the vote's random 32-byte key, so receipt order is a uniformly random permutation of
// the casting order), and it is the order of the published list, so the files show nothing the
// list does not. A second, private shuffle would hide no more, and on SQLite it would be
// indistinguishable from cast order to the forensics check (secret-ballot-forensics.test.ts
// accepts only layouts that follow the receipts). tests/integration/live-dialects.test.ts checks
// on a real PostgreSQL: one xmin, not the ballot.cast transactions', ctid order ≠ cast order. After the commit the
// two tables that held the key and the sealed rows are rewritten (VACUUM FULL, once no older
// snapshot can see the dead rows: server/db/scrub-pg.ts), so no page or file of the database keeps
// them (secret-ballot-forensics.test.ts reads the raw pages with pageinspect). The per-vote key
// still lives (sealed) in the votes row while the vote is open, and pg_wal keeps the old rows until
// its segments are recycled and overwritten (docs/scale-out.md, "Secret ballots on PostgreSQL").
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';

/** receipt (11) + ':' + choice id (at most 16): padded to this many bytes so every sealed ballot has one length */
const PLAIN_BYTES = 32;

const ballotKey = (voteKey: Buffer): Buffer => createHmac('sha256', voteKey).update('ballot-seal').digest();

export function sealBallot(voteKey: Buffer, receipt: string, choiceId: string): string {
  const plain = Buffer.alloc(PLAIN_BYTES, 0x20);
  const text = `${receipt}:${choiceId}`;
  if (Buffer.byteLength(text) > PLAIN_BYTES) throw new Error('ballot too long to seal');
  plain.write(text);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ballotKey(voteKey), iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function unsealBallot(voteKey: Buffer, text: string): { receipt: string; choiceId: string } {
  const raw = Buffer.from(text, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', ballotKey(voteKey), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()])
    .toString()
    .trimEnd();
  const at = plain.indexOf(':');
  return { receipt: plain.slice(0, at), choiceId: plain.slice(at + 1) };
}

/** Inside ballot.cast's transaction. The row id is random: it says nothing, it only keys the row. */
export async function dropInBox(
  tx: Query,
  t: Tables,
  voteKey: Buffer,
  voteId: string,
  receipt: string,
  choiceId: string,
): Promise<void> {
  await tx
    .insert(t.sealedBallots)
    .values({ voteId, id: randomBytes(16).toString('hex'), sealed: sealBallot(voteKey, receipt, choiceId) });
}

/**
 * Every ballot of the vote, sorted by receipt: the sealed ones opened, plus any already in
 * secret_ballots (a vote opened before sealed ballots existed wrote them there directly).
 */
export async function openBox(
  q: Query,
  t: Tables,
  voteKey: Buffer | null,
  voteId: string,
): Promise<{ receipt: string; choiceId: string }[]> {
  const sealed = await q
    .select({ sealed: t.sealedBallots.sealed })
    .from(t.sealedBallots)
    .where(eq(t.sealedBallots.voteId, voteId));
  if (sealed.length > 0 && !voteKey) throw new Error(`secret vote ${voteId} has sealed ballots but no key`);
  const plain = await q
    .select({ receipt: t.secretBallots.receipt, choiceId: t.secretBallots.choiceId })
    .from(t.secretBallots)
    .where(eq(t.secretBallots.voteId, voteId))
    .orderBy(asc(t.secretBallots.receipt));
  const all = [...plain, ...sealed.map((s) => unsealBallot(voteKey!, s.sealed))];
  return all.sort((a, b) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0));
}

/** Fisher–Yates with crypto randomness. */
export function cryptoShuffled<T>(xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Rows per INSERT statement (SQLite allows 32,766 bound values; three per ballot). */
const BALLOTS_PER_INSERT = 5000;

/**
 * Inside vote.close's transaction: the published ballots (sorted by receipt) replace whatever was
 * kept for the vote, inserted together in that order, and the sealed rows go (zeroed on SQLite:
 * secure_delete).
 */
export async function publishBallots(
  tx: Query,
  t: Tables,
  voteId: string,
  ballots: readonly { receipt: string; choiceId: string }[],
): Promise<void> {
  await tx.delete(t.secretBallots).where(eq(t.secretBallots.voteId, voteId));
  const rows = [...ballots]
    .sort((a, b) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0))
    .map((b) => ({ voteId, receipt: b.receipt, choiceId: b.choiceId }));
  for (let i = 0; i < rows.length; i += BALLOTS_PER_INSERT)
    await tx.insert(t.secretBallots).values(rows.slice(i, i + BALLOTS_PER_INSERT));
  await tx.delete(t.sealedBallots).where(eq(t.sealedBallots.voteId, voteId));
}

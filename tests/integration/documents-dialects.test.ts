// The documents services on the asynchronous store, the same cases on a real SQLite file and a real
// PostgreSQL cluster (tests/helpers/postgres.ts; pattern of store.test.ts): the order of a meeting's
// document list (ties on the upload time), drafts and the version chain, deleting a version, the
// page texts in page order, the read tracker's merging upserts and its readers in name order
// (Vietnamese names: PostgreSQL's collation must not reorder them), and the web copy state a
// background job leaves.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteDocument, listDocuments, recordDocument } from '../../server/services/documents';
import { versionTarget } from '../../server/services/document-versions';
import { publishDocument } from '../../server/services/document-publication';
import { documentPageTexts, documentTextState } from '../../server/services/document-text';
import { ReadTracker } from '../../server/services/read-tracking';
import { dialectStores } from '../helpers/dialect-stores';
import type { DocumentInfo } from '../../shared/api';

const stores = dialectStores('docs');

const at = '2026-03-01T08:00:00.000Z';
const NAMES = ['Đỗ Văn Bình', 'Nguyễn Thị An', 'Ánh Dương', 'Zoë Trần', 'Bùi Minh'];

describe.each(['sqlite', 'pg'] as const)('documents on %s', (dialect) => {
  const s = () => stores[dialect];
  const meetingId = `m-${dialect}`;
  const userIds = NAMES.map((_, i) => `u${i}-${dialect}`);

  beforeAll(async () => {
    await s().write(null, async (tx, t) => {
      await tx.insert(t.users).values(
        NAMES.map((fullName, i) => ({
          id: userIds[i]!,
          username: `user${i}-${dialect}`,
          fullName,
          passwordHash: 'x',
          createdAt: at,
        })),
      );
      await tx.insert(t.meetings).values({ id: meetingId, title: 'Họp giao ban', createdAt: at, updatedAt: at });
      await tx.insert(t.meetingMembers).values(
        userIds.map((userId, i) => ({
          meetingId,
          userId,
          role: i === 0 ? ('chair' as const) : ('participant' as const),
          addedAt: at,
        })),
      );
    });
  });

  const add = (over: { sha256?: string; title?: string; previousVersionId?: string; version?: number } = {}) =>
    s().write(meetingId, (tx, t) =>
      recordDocument(tx, t, {
        meetingId,
        uploadedBy: userIds[0]!,
        sha256: over.sha256 ?? 'a'.repeat(64),
        size: 1000,
        filename: 'x.pdf',
        title: over.title ?? 'x',
        pageCount: 3,
        ...(over.previousVersionId ? { previousVersionId: over.previousVersionId, version: over.version ?? 2 } : {}),
      }),
    );

  it('lists newest first, with the same order for ties on the upload time, drafts only to officers', async () => {
    const docs: DocumentInfo[] = [];
    for (let i = 0; i < 6; i++) docs.push(await add({ title: `d${i}` }));
    // all six uploaded "at the same millisecond": the order must still be one, the same on both databases
    await s().write(meetingId, (tx, t) =>
      tx.update(t.documents).set({ createdAt: at }).where(eq(t.documents.meetingId, meetingId)),
    );
    await s().write(meetingId, (tx, t) => publishDocument(tx, t, meetingId, docs[2]!.id));
    const all = await s().read((q, t) => listDocuments(q, t, meetingId));
    const expected = docs.map((d) => d.id).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    expect(all.map((d) => d.id)).toEqual(expected);
    const members = await s().read((q, t) => listDocuments(q, t, meetingId, { drafts: false }));
    expect(members.map((d) => d.id)).toEqual([docs[2]!.id]);
    await s().write(meetingId, (tx, t) => tx.delete(t.documents).where(eq(t.documents.meetingId, meetingId)));
  });

  it('keeps one version line: the newest only is versioned; deleting a version unlinks its successor', async () => {
    const v1 = await add({ title: 'Dự thảo' });
    const v2 = await add({ previousVersionId: v1.id, version: 2 });
    await expect(s().read((q, t) => versionTarget(q, t, meetingId, v1.id))).rejects.toMatchObject({ code: 'NOT_LATEST_VERSION' });
    expect(await s().read((q, t) => versionTarget(q, t, meetingId, v2.id))).toEqual({ id: v2.id, version: 2, title: 'x' });
    const listed = await s().read((q, t) => listDocuments(q, t, meetingId));
    expect(listed.find((d) => d.id === v1.id)!.nextVersionId).toBe(v2.id);
    await expect(s().write(meetingId, (tx, t) => deleteDocument(tx, t, 'another-meeting', v1.id))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await s().write(meetingId, (tx, t) => deleteDocument(tx, t, meetingId, v1.id));
    const after = await s().read((q, t) => listDocuments(q, t, meetingId));
    expect(after.map((d) => [d.id, d.previousVersionId])).toEqual([[v2.id, null]]);
    await s().write(meetingId, (tx, t) => deleteDocument(tx, t, meetingId, v2.id));
  });

  it('gives the page texts in page order, whatever order they were stored in', async () => {
    const d = await add();
    await s().write(meetingId, async (tx, t) => {
      await tx.insert(t.documentPageTexts).values([3, 1, 2].map((page) => ({ documentId: d.id, page, text: `trang ${page}` })));
      await tx.update(t.documents).set({ textState: 'done' }).where(eq(t.documents.id, d.id));
    });
    expect(await s().read((q, t) => documentPageTexts(q, t, d.id))).toEqual(['trang 1', 'trang 2', 'trang 3']);
    expect(await s().read((q, t) => documentTextState(q, t, d.id))).toBe('done');
    await s().write(meetingId, (tx, t) => deleteDocument(tx, t, meetingId, d.id));
  });

  it('merges reading progress over flushes (one write each) and lists readers in the same name order', async () => {
    const d = await add();
    const reads = new ReadTracker(s(), { flushMs: 60_000 });
    reads.view(d.id, userIds[1]!, 1);
    reads.view(d.id, userIds[1]!, 3);
    reads.view(d.id, userIds[2]!, 2);
    reads.view('no-such-document', userIds[2]!, 2); // gone: skipped, not an error
    await reads.flush();
    reads.view(d.id, userIds[1]!, 2);
    reads.view(d.id, userIds[1]!, 1);
    await reads.close();
    expect(reads.stats).toEqual({ views: 6, flushes: 2, rows: 3 });
    const r = await new ReadTracker(s(), { flushMs: 60_000 }).readers(d.id, meetingId);
    const byName = [...NAMES].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(r.readers.map((x) => x.fullName)).toEqual(byName);
    const mine = (i: number) => r.readers.find((x) => x.userId === userIds[i])!;
    expect(mine(1).pages).toEqual([1, 2, 3]);
    expect(mine(2).pages).toEqual([2]);
    expect(mine(3).pagesViewed).toBe(0);
    await s().write(meetingId, (tx, t) => deleteDocument(tx, t, meetingId, d.id));
  });

  it('tells a pending, ready and failed web copy apart, and a row from before the job as ready', async () => {
    const d = await add({ sha256: 'b'.repeat(64) });
    const state = async () => (await s().read((q, t) => listDocuments(q, t, meetingId))).find((x) => x.id === d.id)!.webCopy;
    expect(await state()).toBeNull();
    await s().write(meetingId, (tx, t) => tx.update(t.documents).set({ webState: 'pending' }).where(eq(t.documents.id, d.id)));
    expect(await state()).toBe('pending');
    await s().write(meetingId, (tx, t) =>
      tx
        .update(t.documents)
        .set({ webState: null, webSha256: 'c'.repeat(64), webSize: 10 })
        .where(eq(t.documents.id, d.id)),
    );
    expect(await state()).toBe('ready');
    await s().write(meetingId, (tx, t) => tx.update(t.documents).set({ webState: 'failed' }).where(eq(t.documents.id, d.id)));
    expect(await state()).toBe('failed');
    await s().write(meetingId, (tx, t) => deleteDocument(tx, t, meetingId, d.id));
  });
});

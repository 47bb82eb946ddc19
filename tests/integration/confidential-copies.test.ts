// The cache of members' watermarked copies (server/services/confidential-copies.ts) with real
// worker pools and files: one copy per reader, document and day (Vietnam time); concurrent opens
// share one making; the next day's copy replaces the reader's older one and carries the new date.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfWorkers } from '../../server/pdf/pdf-workers';
import { DocumentStore } from '../../server/services/document-store';
import { ConfidentialCopies, watermarkTime } from '../../server/services/confidential-copies';
import type { StoredDocument } from '../../server/services/documents';
import { fixture } from '../helpers/fixtures';
import { pdftotext } from '../helpers/poppler';

let dir: string;
let workers: PdfWorkers;
let store: DocumentStore;
let doc: StoredDocument;
let now = new Date('2026-12-04T01:30:00Z'); // 08:30 in Hà Nội
let makes = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-conf-copies-'));
  workers = new PdfWorkers({ memoryMb: 512, maxThreads: 1 });
  store = new DocumentStore(dir);
  const bytes = fixture('sizes.pdf');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  fs.mkdirSync(path.dirname(store.pathFor(sha256)), { recursive: true });
  fs.writeFileSync(store.pathFor(sha256), bytes);
  doc = {
    id: 'docConfidential01',
    meetingId: 'm1',
    sha256,
    filename: 'sizes.pdf',
    title: null,
    pageCount: 3,
    size: bytes.length,
    createdAt: now.toISOString(),
    warning: null,
    confidentiality: 'tuyet-mat',
    offlineAllowed: false,
    web: null,
    publishedAt: now.toISOString(),
    version: 1,
    previousVersionId: null,
    nextVersionId: null,
    webCopy: null,
  };
});
afterAll(async () => {
  await workers.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const reader = (id: string, name: string) => ({
  id,
  lines: (at: Date) => {
    makes++;
    return [name, `${id} · TUYỆT MẬT · ${watermarkTime(at)}`];
  },
});
const copiesDir = () => path.join(dir, 'watermarked', doc.id);

describe('confidential copies cache', () => {
  it('writes the time in Vietnam time', () => {
    expect(watermarkTime(new Date('2026-12-04T17:05:00Z'))).toBe('05/12/2026 00:05 (GMT+7)');
  });

  it('makes one copy for concurrent opens and serves it again the same day', async () => {
    const copies = new ConfidentialCopies(workers, store, { dataDir: dir, timeoutMs: 60_000, now: () => now });
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => copies.copyFor(doc, reader('u1', 'Lê Văn Cường'))));
    expect(makes).toBe(1);
    expect(new Set([a!.path, b!.path, c!.path]).size).toBe(1);
    expect(path.basename(a!.path)).toMatch(/^u1-20261204-[0-9a-f]{16}\.pdf$/);
    now = new Date('2026-12-04T16:59:00Z'); // 23:59 the same day in Hà Nội
    const again = await copies.copyFor(doc, reader('u1', 'Lê Văn Cường'));
    expect(makes).toBe(1);
    expect(again.etag).toBe(a!.etag);
    expect(pdftotext(again.path, ['-raw']).replace(/\s+/g, '')).toContain('04/12/202608:30');
  });

  it("the next day: a new copy with the new date, the reader's older one removed, others' kept", async () => {
    const copies = new ConfidentialCopies(workers, store, { dataDir: dir, timeoutMs: 60_000, now: () => now });
    await copies.copyFor(doc, reader('u2', 'Phạm Thị Dung'));
    now = new Date('2026-12-04T17:01:00Z'); // 00:01 on the 5th in Hà Nội
    const next = await copies.copyFor(doc, reader('u1', 'Lê Văn Cường'));
    expect(path.basename(next.path)).toMatch(/^u1-20261205-/);
    expect(pdftotext(next.path, ['-raw']).replace(/\s+/g, '')).toContain('05/12/202600:01');
    const left = fs.readdirSync(copiesDir());
    expect(left).toHaveLength(2);
    expect(left).toContain(path.basename(next.path));
    expect(left.find((f) => f !== path.basename(next.path))).toMatch(/^u2-20261204-/);
    await copies.forget(doc.id);
    expect(fs.existsSync(copiesDir())).toBe(false);
  });

  it('refuses reader ids that are not path-safe', async () => {
    const copies = new ConfidentialCopies(workers, store, { dataDir: dir, timeoutMs: 60_000 });
    await expect(copies.copyFor(doc, reader('../x', 'X'))).rejects.toMatchObject({ code: 'INVALID' });
  });
});

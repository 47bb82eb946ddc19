// The CA certificates an administrator trusts for signatures: the roots (or intermediates) of the
// Government CA and licensed CAs whose certificates sign minutes. Each upload is read with
// @peculiar/x509 and must be a CA certificate (basicConstraints cA); stored DER, one row per hash.
import type * as X509 from '@peculiar/x509';
import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Query, Store, Tables } from '../db/store';
import { trustedCertificates } from '../db/schema';
import { recordAudit } from './audit';
import { AppError } from '../errors';
import { newId } from '../ids';

export interface TrustedCertificateView {
  id: string;
  sha256: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  addedAt: string;
}

const MAX_CERTIFICATES_PER_UPLOAD = 20;

/** DER certificates out of PEM text (one or more blocks) or one base64 DER. */
export function readCertificates(text: string): Uint8Array[] {
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1]!);
  const raw = blocks.length ? blocks : [text];
  return raw.map((b) => {
    const clean = b.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) throw new AppError('BAD_CERTIFICATE', 'Not a PEM or base64 certificate');
    return new Uint8Array(Buffer.from(clean, 'base64'));
  });
}

// loaded on the first upload, not at start (@peculiar/x509 with its ASN.1 schemas is ~18 MB of heap)
let x509Lib: Promise<typeof X509> | undefined;
const loadX509 = () => (x509Lib ??= import('reflect-metadata').then(() => import('@peculiar/x509')));

function parse(x509: typeof X509, der: Uint8Array): X509.X509Certificate {
  try {
    return new x509.X509Certificate(new Uint8Array(der));
  } catch {
    throw new AppError('BAD_CERTIFICATE', 'The certificate cannot be read (X.509 DER/PEM expected)');
  }
}

function view(r: typeof trustedCertificates.$inferSelect): TrustedCertificateView {
  return { id: r.id, sha256: r.sha256, subject: r.subject, notBefore: r.notBefore, notAfter: r.notAfter, addedAt: r.addedAt };
}

/** Oldest first (the id breaks ties: several certificates of one upload share their time). */
export async function listTrusted(q: Query, t: Tables): Promise<TrustedCertificateView[]> {
  const rows = await q
    .select()
    .from(t.trustedCertificates)
    .orderBy(asc(t.trustedCertificates.addedAt), asc(t.trustedCertificates.id));
  return rows.map(view);
}

/** DER of every trusted certificate: the anchors for verification. */
export async function trustedDers(q: Query, t: Tables): Promise<Uint8Array[]> {
  const rows = await q.select({ der: t.trustedCertificates.derBase64 }).from(t.trustedCertificates);
  return rows.map((r) => new Uint8Array(Buffer.from(r.der, 'base64')));
}

/** Adds every certificate of the text (all checked before any is stored); returns the added ones. */
export async function addTrusted(
  store: Store,
  text: string,
  by: { id: string; username: string },
  now = new Date(),
): Promise<TrustedCertificateView[]> {
  const addedBy = by.id;
  const ders = readCertificates(text);
  if (!ders.length || ders.length > MAX_CERTIFICATES_PER_UPLOAD)
    throw new AppError('BAD_CERTIFICATE', `Send 1 to ${MAX_CERTIFICATES_PER_UPLOAD} certificates`);
  const x509 = await loadX509();
  const rows = ders.map((der) => {
    const cert = parse(x509, der);
    const bc = cert.getExtension(x509.BasicConstraintsExtension);
    if (!bc?.ca) throw new AppError('BAD_CERTIFICATE', `Not a CA certificate: ${cert.subject}`);
    return {
      id: newId(),
      sha256: createHash('sha256').update(der).digest('hex'),
      subject: cert.subject,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      derBase64: Buffer.from(der).toString('base64'),
      addedBy,
      addedAt: now.toISOString(),
    };
  });
  // the certificates are parsed above, outside the transaction; the change and its audit row commit together
  return store.write('trusted-certificates', async (tx, t) => {
    const added: TrustedCertificateView[] = [];
    for (const row of rows) {
      // one certificate per hash (also a unique key): a second upload of it adds nothing
      const inserted = await tx
        .insert(t.trustedCertificates)
        .values(row)
        .onConflictDoNothing()
        .returning({ id: t.trustedCertificates.id });
      if (inserted.length) added.push(view(row));
    }
    await recordAudit(tx, t, {
      actorId: by.id,
      actorName: by.username,
      action: 'trusted-certificate.add',
      outcome: 'ok',
      details: { added: added.map((c) => ({ sha256: c.sha256, subject: c.subject })) },
    });
    return added;
  });
}

export async function removeTrusted(
  store: Store,
  id: string,
  by: { id: string; username: string },
): Promise<TrustedCertificateView> {
  return store.write('trusted-certificates', async (tx, t) => {
    const [row] = await tx.delete(t.trustedCertificates).where(eq(t.trustedCertificates.id, id)).returning();
    if (!row) throw new AppError('NOT_FOUND', 'No such trusted certificate');
    await recordAudit(tx, t, {
      actorId: by.id,
      actorName: by.username,
      action: 'trusted-certificate.remove',
      outcome: 'ok',
      details: { sha256: row.sha256, subject: row.subject },
    });
    return view(row);
  });
}

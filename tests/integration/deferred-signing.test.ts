// Official signing keys on a real server: the administrator trusts a CA (upload), the secretary
// signs with her own token through deferred signing (CMS mode, her "signing app" played by this test
// with a key on SoftHSM), the chair's app signs the prepared attributes with pkcs11-tool (raw mode, a
// tool outside our code), the TSA (`openssl ts`) timestamps; then a new version is signed server-side
// with the PKCS#11 token configured. Refusals: an untrusted certificate, a tampered CMS, a CMS over
// something else, another user's request, a wrong mode; the minutes stay unsigned after each.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { meetingAccess } from '../../server/policies/meeting-policy';
import { buildCmsForDigest } from '../../server/signing/cms';
import { InternalCa } from '../../server/signing/internal-ca';
import { Pkcs11Token } from '../../server/signing/pkcs11-signer';
import type { ExternalSigningRequest, MinutesDraft, MinutesVerification, MinutesVersion } from '../../shared/minutes-api';
import type { CommandAck } from '../../shared/events';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, httpLogin } from '../helpers/live-client';
import { tempDir } from '../helpers/minutes-signing';
import { createTestCa, pem, startOpensslTsa, type TestCa, type TestTsa } from '../helpers/official-pki';
import { pdfsig, run, writeTemp } from '../helpers/poppler';
import { createSoftHsm, keyOnToken, type SoftHsm } from '../helpers/softhsm';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';

let hsm: SoftHsm;
let ca: TestCa;
let tsa: TestTsa;
let t: TestApp;
let v: VotingMeeting;
/** the secretary's "signing app": her token, opened by this test, not by the server */
let app: Pkcs11Token;
let chairCert: Uint8Array;
let nss: string;
const cookies: Record<string, string> = {};

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};
const url = (suffix = '') => `/api/meetings/${v.meetingId}/minutes${suffix}`;
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

beforeAll(async () => {
  hsm = createSoftHsm();
  ca = await createTestCa();
  // the names the demo accounts carry: the secretary "Trần Thị Bình", the chair "Nguyễn Văn An"
  await keyOnToken(hsm, ca, { label: 'secretary', id: '11', fullName: 'Trần Thị Bình' });
  chairCert = await keyOnToken(hsm, ca, { label: 'chair-own-token', id: '12', fullName: 'Nguyễn Văn An' });
  tsa = await startOpensslTsa(ca);
  nss = tempDir('hop-so-nss-');
  fs.writeFileSync(path.join(nss, 'ca.pem'), ca.pem);
  run('certutil', ['-N', '--empty-password', '-d', `sql:${nss}`]);
  run('certutil', ['-A', '-n', 'official-root', '-t', 'CT,C,C', '-d', `sql:${nss}`, '-i', path.join(nss, 'ca.pem')]);
  t = await buildTestApp({
    listen: true,
    config: {
      signing: {
        // the server's own signatures: a key labelled with the username on the token
        pkcs11: { modulePath: hsm.modulePath, tokenLabel: hsm.tokenLabel, pin: hsm.pin, keyLabel: '{username}' },
        tsaUrl: tsa.url,
        tsaTimeoutMs: 15_000,
        externalSigningTtlMs: 15 * 60_000,
      },
    },
  });
  v = await votingMeeting(t, 0);
  for (const u of ['chair', 'secretary', 'delegate1', 'admin']) cookies[u] = await httpLogin(t.url, u);
  app = await Pkcs11Token.open({ modulePath: hsm.modulePath, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
  ok(await v.cmd('chair', 'meeting.start', {}));
  for (const u of ['chair', 'delegate1', 'delegate2'])
    ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id[u]!, status: 'present' }));
  ok(await v.cmd('chair', 'meeting.end', {}));
  expect((await api<MinutesVersion>(t.url, cookies.secretary!, 'POST', url('/finalize'))).status).toBe(201);
}, 180_000);

afterAll(async () => {
  v?.close();
  await app?.close();
  await t?.close();
  await tsa?.close();
});

async function status(): Promise<{ status: string; sha256: string }> {
  const d = (await api<MinutesDraft>(t.url, cookies.secretary!, 'GET', url())).json;
  return { status: d.status, sha256: d.versions[0]!.sha256 };
}

async function prepare(user: string, body: object = {}) {
  return api<ExternalSigningRequest & { error?: { code: string } }>(t.url, cookies[user]!, 'POST', url('/sign/external'), body);
}

async function complete(user: string, requestId: string, body: object) {
  return api<MinutesVersion & { error?: { code: string; message: string } }>(
    t.url,
    cookies[user]!,
    'POST',
    url(`/sign/external/${requestId}`),
    body,
  );
}

describe('trusted certification authorities (administrator)', () => {
  it('only an administrator uploads; unreadable and non-CA certificates are refused; nothing is stored then', async () => {
    const post = (user: string, body: object) =>
      api<{ certificates: { id: string; subject: string }[]; error?: { code: string } }>(
        t.url,
        cookies[user]!,
        'POST',
        '/api/admin/trusted-certificates',
        body,
      );
    expect((await post('secretary', { pem: ca.pem })).status).toBe(403);
    expect((await post('admin', { pem: 'not a certificate!' })).json.error?.code).toBe('BAD_CERTIFICATE');
    expect((await post('admin', { pem: pem('CERTIFICATE', Buffer.from('garbage')) })).json.error?.code).toBe('BAD_CERTIFICATE');
    expect((await post('admin', { pem: pem('CERTIFICATE', chairCert) })).json.error?.code).toBe('BAD_CERTIFICATE'); // an end-entity certificate
    expect((await post('admin', {})).status).toBe(400);
    expect(
      (await api<{ certificates: unknown[] }>(t.url, cookies.admin!, 'GET', '/api/admin/trusted-certificates')).json.certificates,
    ).toEqual([]);
    const added = await post('admin', { pem: ca.pem });
    expect(added.status).toBe(201);
    expect(added.json.certificates[0]!.subject).toContain('Test Official Root CA');
    expect((await post('admin', { pem: ca.pem })).json.certificates).toEqual([]); // already trusted
    expect((await api(t.url, cookies.delegate1!, 'GET', '/api/admin/trusted-certificates')).status).toBe(403);
  });
});

describe('deferred signing (the signer’s own token)', () => {
  it('refuses a certificate from a CA nobody trusts (CERTIFICATE_UNTRUSTED); the minutes stay unsigned', async () => {
    const before = await status();
    const prep = await prepare('secretary');
    expect(prep.status).toBe(201);
    expect(prep.json).toMatchObject({ mode: 'cms', role: 'secretary', version: 1 });
    // a signer certified by some other CA (the internal CA of another installation)
    const other = await InternalCa.open(path.join(tempDir(), 'ca'));
    const stranger = await other.signerFor({ userId: 'x', fullName: 'Trần Thị Bình' });
    const cms = await buildCmsForDigest(new Uint8Array(Buffer.from(prep.json.digestHex, 'hex')), stranger);
    const r = await complete('secretary', prep.json.requestId, { cms: b64(cms) });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('CERTIFICATE_UNTRUSTED');
    expect(await status()).toEqual(before);
    // raw mode with that chain is refused before anything is handed out
    const raw = await prepare('secretary', { certificateChain: stranger.certificateChain.map(b64) });
    expect(raw.json.error?.code).toBe('CERTIFICATE_UNTRUSTED');
  });

  it('refuses a tampered CMS (SIGNATURE_INVALID) and a CMS over another digest (SIGNATURE_DIGEST_MISMATCH)', async () => {
    const before = await status();
    const prep = (await prepare('secretary')).json;
    const signer = app.signerFor('secretary')!;
    const cms = await buildCmsForDigest(new Uint8Array(Buffer.from(prep.digestHex, 'hex')), signer);
    const tampered = Buffer.from(cms);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0x01; // inside the signature value, the SignerInfo's last field
    const r1 = await complete('secretary', prep.requestId, { cms: b64(tampered) });
    expect([r1.status, r1.json.error?.code]).toEqual([422, 'SIGNATURE_INVALID']);
    const elsewhere = await buildCmsForDigest(new Uint8Array(createHash('sha256').update('another file').digest()), signer);
    const r2 = await complete('secretary', prep.requestId, { cms: b64(elsewhere) });
    expect([r2.status, r2.json.error?.code]).toEqual([422, 'SIGNATURE_DIGEST_MISMATCH']);
    const r3 = await complete('secretary', prep.requestId, { cms: 'not base64 ***' });
    expect(r3.status).toBe(400);
    const r4 = await complete('secretary', prep.requestId, { signature: b64(new Uint8Array(256)) });
    expect(r4.json.error?.code).toBe('INVALID'); // a CMS-mode request takes a CMS
    const r5 = await complete('secretary', prep.requestId, { cms: b64(Buffer.from('garbage that is no CMS')) });
    expect(r5.json.error?.code).toBe('SIGNATURE_INVALID');
    // the chair cannot touch the secretary's request, nor sign before her
    expect((await complete('chair', prep.requestId, { cms: b64(cms) })).json.error?.code).toMatch(/SIGNATURE_ORDER|NOT_FOUND/);
    expect((await prepare('chair')).json.error?.code).toBe('SIGNATURE_ORDER');
    expect((await prepare('delegate1')).json.error?.code).toBe('NOT_A_SIGNER');
    expect(await status()).toEqual(before);
  });

  it('refuses a certificate expired at the signing time (CERTIFICATE_NOT_VALID) and a request past its time (SIGNING_REQUEST_EXPIRED)', async () => {
    const before = await status();
    const year = 365 * 24 * 3600_000;
    const expired = await keyOnToken(hsm, ca, {
      label: 'secretary-2024',
      id: '13',
      fullName: 'Trần Thị Bình',
      notBefore: new Date(Date.now() - 2 * year),
      notAfter: new Date(Date.now() - year),
    });
    expect((await prepare('secretary', { certificateChain: [b64(expired)] })).json.error?.code).toBe('CERTIFICATE_NOT_VALID');
    const prep = (await prepare('secretary')).json;
    const cms = await buildCmsForDigest(new Uint8Array(Buffer.from(prep.digestHex, 'hex')), app.signerFor('secretary-2024')!);
    const r = await complete('secretary', prep.requestId, { cms: b64(cms) });
    expect([r.status, r.json.error?.code]).toEqual([422, 'CERTIFICATE_NOT_VALID']);
    // the same request, answered after its 15 minutes with a good CMS: too late
    const good = await buildCmsForDigest(new Uint8Array(Buffer.from(prep.digestHex, 'hex')), app.signerFor('secretary')!);
    const access = await t.app.database.read(async (q, tt) => {
      const [secretary] = await q.select().from(tt.users).where(eq(tt.users.username, 'secretary'));
      return meetingAccess(q, tt, { id: secretary!.id, isAdmin: false } as Parameters<typeof meetingAccess>[2], v.meetingId);
    });
    await expect(
      t.app.minutes.completeExternal(access, prep.requestId, { cms: good }, new Date(Date.now() + 16 * 60_000)),
    ).rejects.toMatchObject({ code: 'SIGNING_REQUEST_EXPIRED' });
    expect(await status()).toEqual(before);
  });

  it('the secretary’s app returns a CMS made on her token: embedded, status signed_secretary', async () => {
    const prep = (await prepare('secretary')).json;
    const cms = await buildCmsForDigest(new Uint8Array(Buffer.from(prep.digestHex, 'hex')), app.signerFor('secretary')!);
    const r = await complete('secretary', prep.requestId, { cms: b64(cms) });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.status).toBe('signed_secretary');
    // the request is spent
    expect((await complete('secretary', prep.requestId, { cms: b64(cms) })).json.error?.code).toMatch(/ALREADY_SIGNED|CONFLICT/);
  });

  it('the chair’s app signs the prepared attributes with pkcs11-tool (raw mode); the server assembles, timestamps, embeds', async () => {
    const prep = await prepare('chair', { certificateChain: [b64(chairCert), ca.pem] });
    expect(prep.status).toBe(201);
    expect(prep.json).toMatchObject({ mode: 'raw', role: 'chair', algorithm: 'RSASSA-PKCS1-v1_5-SHA256' });
    const attrs = Buffer.from(prep.json.signedAttributesBase64!, 'base64');
    expect(createHash('sha256').update(attrs).digest('hex')).toBe(prep.json.signedAttributesSha256Hex);
    const dir = tempDir('hop-so-app-');
    fs.writeFileSync(path.join(dir, 'attrs.der'), attrs);
    execFileSync(
      'pkcs11-tool',
      [
        '--module',
        hsm.modulePath,
        '--token-label',
        hsm.tokenLabel,
        '--login',
        '--pin',
        hsm.pin,
        '--sign',
        '--id',
        '12',
        '--mechanism',
        'SHA256-RSA-PKCS',
        '-i',
        path.join(dir, 'attrs.der'),
        '-o',
        path.join(dir, 'sig.bin'),
      ],
      { stdio: 'pipe', env: { ...process.env, SOFTHSM2_CONF: hsm.conf } },
    );
    const sig = fs.readFileSync(path.join(dir, 'sig.bin'));
    // a wrong signature first: refused, nothing changes
    const wrong = Buffer.from(sig);
    wrong[5] = wrong[5]! ^ 0xff;
    expect((await complete('chair', prep.json.requestId, { signature: b64(wrong) })).json.error?.code).toBe('SIGNATURE_INVALID');
    expect((await status()).status).toBe('signed_secretary');
    const tsaBefore = tsa.requests;
    const r = await complete('chair', prep.json.requestId, { signature: b64(sig) });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.status).toBe('signed_all');
    expect(tsa.requests).toBe(tsaBefore + 1);

    const file = await fetch(`${t.url}${url('.pdf')}`, { headers: { cookie: cookies.delegate1! } });
    const pdf = writeTemp(new Uint8Array(await file.arrayBuffer()), 'deferred-signed.pdf');
    const report = pdfsig(pdf, nss);
    console.log(`[pdfsig, deferred signing: secretary CMS mode, chair raw mode + timestamp]\n${report}`);
    const blocks = report.split(/Signature #\d+:/).slice(1);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('Signer Certificate Common Name: Trần Thị Bình');
    expect(blocks[1]).toContain('Signer Certificate Common Name: Nguyễn Văn An');
    for (const b of blocks) {
      expect(b).toContain('Signature Type: ETSI.CAdES.detached');
      expect(b).toContain('Signature Validation: Signature is Valid.');
      expect(b).toContain('Certificate Validation: Certificate is Trusted.');
    }
    expect(blocks[1]).toContain('Total document signed');

    const ver = (await api<MinutesVerification>(t.url, cookies.delegate1!, 'GET', url('/verify'))).json;
    expect(ver.intact).toBe(true);
    expect(
      ver.signatures.map((s) => [s.signerName, s.subFilter, s.trust?.chainTrusted, s.trust?.certificateValidAtSigningTime]),
    ).toEqual([
      ['Trần Thị Bình', 'ETSI.CAdES.detached', true, true],
      ['Nguyễn Văn An', 'ETSI.CAdES.detached', true, true],
    ]);
    expect(ver.signatures[0]!.timestamp).toBeNull(); // her app added none
    expect(ver.signatures[1]!.timestamp).toMatchObject({
      valid: true,
      trusted: true,
      tsaName: 'Test TSA - Dịch vụ cấp dấu thời gian',
    });
  });
});

describe('server-side signing with the PKCS#11 token configured', () => {
  it('a new version: the secretary’s key on the token signs (with a timestamp); the chair has none there (SIGNING_KEY_MISSING)', async () => {
    expect((await api(t.url, cookies.secretary!, 'POST', url('/revise'))).status).toBe(201);
    expect((await api(t.url, cookies.secretary!, 'POST', url('/finalize'))).status).toBe(201);
    const s = await api<MinutesVersion>(t.url, cookies.secretary!, 'POST', url('/sign'));
    expect(s.status).toBe(200);
    expect(s.json.status).toBe('signed_secretary');
    const c = await api<{ error: { code: string } }>(t.url, cookies.chair!, 'POST', url('/sign'));
    expect([c.status, c.json.error.code]).toEqual([409, 'SIGNING_KEY_MISSING']);
    expect((await status()).status).toBe('signed_secretary');

    const file = await fetch(`${t.url}${url('.pdf')}`, { headers: { cookie: cookies.delegate1! } });
    const report = pdfsig(writeTemp(new Uint8Array(await file.arrayBuffer()), 'hsm-signed.pdf'), nss);
    console.log(`[pdfsig, server-side PKCS#11 signing through the app]\n${report}`);
    expect(report).toContain('Signer Certificate Common Name: Trần Thị Bình');
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Certificate Validation: Certificate is Trusted.');
    const ver = (await api<MinutesVerification>(t.url, cookies.delegate1!, 'GET', url('/verify'))).json;
    expect(ver.signatures[0]).toMatchObject({
      valid: true,
      subFilter: 'ETSI.CAdES.detached',
      timestamp: { valid: true, trusted: true },
      trust: { chainTrusted: true },
    });
  });
});

// Room-screen and check-in tokens: stateless HMACs under a secret generated once and kept in
// DATA_DIR (never in the repo), so they survive restarts and need no table.
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function loadOrCreateSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secrets', 'live-token.key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const secret = randomBytes(32);
    // 'wx': if another process created it meanwhile, keep theirs
    try {
      fs.writeFileSync(file, secret.toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch {
      return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    }
    return secret;
  }
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class LiveTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly opts: { checkInWindowSeconds: number; roomTokenTtlHours: number },
  ) {}

  /** A key for another purpose (sealing vote receipt keys), derived so the token secret is never reused as is. */
  derivedKey(label: string): Buffer {
    return createHmac('sha256', this.secret).update(`derived-key:${label}`).digest();
  }

  private mac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url').slice(0, 32);
  }

  /** `meetingId.expiry.mac`: a room screen proves which meeting it shows and until when. */
  roomToken(meetingId: string, now = Date.now()): { token: string; expiresAt: string } {
    const exp = Math.floor(now / 1000) + Math.round(this.opts.roomTokenTtlHours * 3600);
    return {
      token: `${meetingId}.${exp}.${this.mac(`room:${meetingId}:${exp}`)}`,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** The meeting a room token opens, or null when it is forged or expired. */
  verifyRoomToken(token: string, now = Date.now()): string | null {
    const [meetingId, expText, mac, extra] = token.split('.');
    if (!meetingId || !expText || !mac || extra !== undefined || !/^\d{1,12}$/.test(expText)) return null;
    if (Number(expText) * 1000 < now) return null;
    return safeEqual(mac, this.mac(`room:${meetingId}:${expText}`)) ? meetingId : null;
  }

  private window(now: number) {
    return Math.floor(now / 1000 / this.opts.checkInWindowSeconds);
  }

  /** `window.mac` for the QR on the room screen; valid in its window and the next one. */
  checkInToken(meetingId: string, now = Date.now()): { token: string; expiresAt: string } {
    const w = this.window(now);
    const expiresAt = new Date((w + 2) * this.opts.checkInWindowSeconds * 1000).toISOString();
    return { token: `${w}.${this.mac(`checkin:${meetingId}:${w}`)}`, expiresAt };
  }

  checkCheckInToken(meetingId: string, token: string, now = Date.now()): 'ok' | 'expired' | 'invalid' {
    const [wText, mac, extra] = token.split('.');
    if (!wText || !mac || extra !== undefined || !/^\d{1,15}$/.test(wText)) return 'invalid';
    if (!safeEqual(mac, this.mac(`checkin:${meetingId}:${wText}`))) return 'invalid';
    const current = this.window(now),
      w = Number(wText);
    return w === current || w === current - 1 ? 'ok' : 'expired';
  }
}

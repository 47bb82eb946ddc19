import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LiveTokens } from '../../server/live/live-tokens';
import { canonicalJson } from '../../server/live/canonical-json';

const tokens = new LiveTokens(randomBytes(32), { checkInWindowSeconds: 60, roomTokenTtlHours: 24 });
const t0 = Date.UTC(2026, 10, 21, 1, 30, 0);

describe('check-in tokens', () => {
  it('hold in their window and the next, then expire; they are bound to the meeting', () => {
    const { token } = tokens.checkInToken('m1', t0);
    expect(tokens.checkCheckInToken('m1', token, t0 + 30_000)).toBe('ok');
    expect(tokens.checkCheckInToken('m1', token, t0 + 90_000)).toBe('ok');
    expect(tokens.checkCheckInToken('m1', token, t0 + 181_000)).toBe('expired');
    expect(tokens.checkCheckInToken('m2', token, t0)).toBe('invalid');
    expect(tokens.checkCheckInToken('m1', `${token}x`, t0)).toBe('invalid');
  });
});

describe('room tokens', () => {
  it('name their meeting until they expire, and cannot be forged', () => {
    const { token } = tokens.roomToken('m1', t0);
    expect(tokens.verifyRoomToken(token, t0 + 3600_000)).toBe('m1');
    expect(tokens.verifyRoomToken(token, t0 + 25 * 3600_000)).toBeNull();
    expect(tokens.verifyRoomToken(token.replace('m1.', 'm2.'), t0)).toBeNull();
    expect(new LiveTokens(randomBytes(32), { checkInWindowSeconds: 60, roomTokenTtlHours: 24 }).verifyRoomToken(token, t0)).toBeNull();
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LiveTokens } from '../../server/live/live-tokens';
import fc from 'fast-check';
import { canonicalJson, canonicalText, canonicalValue, textOfNested } from '../../server/live/canonical-json';

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
    expect(
      new LiveTokens(randomBytes(32), { checkInWindowSeconds: 60, roomTokenTtlHours: 24 }).verifyRoomToken(token, t0),
    ).toBeNull();
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  // the event log keeps canonicalValue in memory instead of parsing back the stored text
  it('canonicalValue is what parsing the canonical text gives back, -0 and undefined included', () => {
    expect(Object.is((canonicalValue({ p: [[-0, 1, 0.5]] }) as { p: number[][] }).p[0]![0], 0)).toBe(true);
    expect(canonicalValue({ a: [undefined, -0], d: new Date(0) })).toStrictEqual({ a: [null, 0], d: '1970-01-01T00:00:00.000Z' });
    const hostile = JSON.parse('{"__proto__":{"x":1}}') as unknown;
    expect(canonicalValue(hostile)).toStrictEqual(JSON.parse(canonicalJson(hostile)));
    fc.assert(
      fc.property(fc.jsonValue(), fc.anything({ withNullPrototype: false }), (json, any) => {
        for (const v of [json, { any: typeof any === 'object' ? any : null }]) {
          let text: string;
          try {
            text = canonicalJson(v);
          } catch {
            continue;
          } // non-finite numbers, bigints: refused
          if (text === undefined) continue;
          expect(canonicalValue(v)).toStrictEqual(JSON.parse(text));
          expect(canonicalJson(JSON.parse(text))).toBe(text);
        }
      }),
    );
  });

  // the text is written by hand (ink numbers take an integer path): it must be JSON.stringify's, byte for byte
  it('writes exactly what JSON.stringify writes of the canonical tree', () => {
    const same = (v: unknown): void => {
      expect(canonicalText(canonicalValue(v))).toBe(JSON.stringify(canonicalValue(v)));
    };
    fc.assert(
      fc.property(fc.anything(), (v) => {
        try {
          canonicalValue(v);
        } catch {
          return;
        } // non-finite numbers: refused before any text
        if (typeof v === 'bigint' || JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? 0 : x)) === undefined) return;
        // the same text, or the same refusal (a BigInt anywhere: TypeError from both)
        const attempt = (f: () => string | undefined) => {
          try {
            return f();
          } catch (e) {
            return e instanceof TypeError ? 'TypeError' : e;
          }
        };
        expect(attempt(() => canonicalJson(v))).toEqual(attempt(() => JSON.stringify(canonicalValue(v))));
      }),
      { numRuns: 500 },
    );
    // numbers: the 1/1000 grid of ink (integer path) and everything else (String path)
    fc.assert(
      fc.property(fc.integer({ min: -2e12, max: 2e12 }), fc.integer({ min: 1, max: 1000 }), (k, d) =>
        same([k / d, k / 1000, -k / 100]),
      ),
      { numRuns: 2000 },
    );
    // every digit pattern of ink coordinates below 1000 (three-digit table path, trailing zeros dropped)
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (k) => same([k / 1000, [k / 100, k / 10]])),
      { numRuns: 4000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => same([x, { x }])),
      { numRuns: 2000 },
    );
    same([0.001, -0.001, 0.01, 0.1, 1e-7, 123.45, -0, 1e15, 1e21, 999999999999.999, 5e-324, Number.MAX_SAFE_INTEGER]);
    same({ 'tiếng Việt': 'Biên bản họp — "trích dẫn"\n\u0001', long: 'ờ'.repeat(70_000), deep: [[[[1.5]]]] });
  });

  // the stroke row stores its points' text as the event's payload wrote it (textOfNested)
  it("keeps the text of an array of arrays it wrote inside a value: exactly that array's own canonical text", () => {
    const points = fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.integer()), {
      minLength: 1,
      maxLength: 80,
    });
    fc.assert(
      fc.property(points, fc.string(), fc.boolean(), (pts, text, big) => {
        const payload = canonicalValue({ page: 1, points: pts, text, ...(big ? { pad: 'x'.repeat(70_000) } : {}) }) as {
          points: unknown[];
        };
        const plain = !pts.flat().some((x) => Object.is(x, -0));
        if (plain) expect(payload.points, 'arrays of plain numbers are shared, not copied').toBe(pts);
        canonicalText(payload);
        const kept = textOfNested(pts);
        // kept only when the whole text was one ASCII piece of the buffer; then it is exact
        if (kept !== undefined) expect(kept).toBe(canonicalText(pts));
        if (plain && !big && /^[\x20-\x7e]*$/.test(text)) expect(kept, 'kept for an ASCII payload').toBeDefined();
        canonicalText({ other: [[1]] });
        expect(textOfNested(pts), "only the last call's are kept (no text held for as long as its points live)").toBeUndefined();
      }),
      { numRuns: 500 },
    );
    // an array with an element that canonicalValue changes is copied (and its text is then the copy's)
    const withMinusZero = [
      [1, 2],
      [-0, 3],
    ];
    expect(canonicalValue({ p: withMinusZero }), 'a -0 inside').not.toHaveProperty('p', withMinusZero);
  });
});

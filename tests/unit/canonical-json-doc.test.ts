// docs/canonical-json.md is what an outside verifier follows to recompute the log's hashes: every
// worked example there must be exactly what the implementation writes.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../server/live/canonical-json';
import { eventHash } from '../../server/live/event-log';
import type { LiveEvent } from '../../shared/events';

const doc = fs.readFileSync(new URL('../../docs/canonical-json.md', import.meta.url), 'utf8');
const pairs = [...doc.matchAll(/^in: {2}(.+)\nout: (.+)$/gm)].map((m) => ({ input: m[1]!, output: m[2]! }));
const line = (label: string) => {
  const m = new RegExp(`^${label}: +(.+)$`, 'm').exec(doc);
  if (!m) throw new Error(`docs/canonical-json.md has no "${label}:" line`);
  return m[1]!;
};

describe('docs/canonical-json.md', () => {
  it('has its worked examples', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(6);
  });

  it.each(pairs.map((p) => [p.input, p.output]))('%s', (input, output) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  it('the whole-event example: its text and its hash, by the implementation and by the documented recipe', () => {
    const event = JSON.parse(line('event')) as LiveEvent;
    const prev = line('prev');
    expect(
      canonicalJson({
        meetingId: event.meetingId,
        seq: event.seq,
        type: event.type,
        actor: event.actor,
        at: event.at,
        payload: event.payload,
      }),
    ).toBe(line('text'));
    expect(eventHash(prev, event)).toBe(line('hash'));
    expect(
      createHash('sha256')
        .update(prev + line('text'), 'utf8')
        .digest('hex'),
    ).toBe(line('hash'));
  });

  it('says where it differs from RFC 8785: integer-like keys first, by value', () => {
    // RFC 8785 sorts by UTF-16 code units ("10" < "9"); this rule does not, and the document says so
    expect(canonicalJson({ 9: 'a', 10: 'b' })).toBe('{"9":"a","10":"b"}');
    expect(doc).toMatch(/not RFC 8785/);
  });
});

// Sealed ballots (server/live/vote-ballot-box.ts): what an open secret vote keeps on disk must not
// tell one choice from another, not even by its length, and must open only with the vote's key.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealBallot, unsealBallot } from '../../server/live/vote-ballot-box';

describe('sealed ballots', () => {
  const key = randomBytes(32);
  const receipt = 'ABCDE-FGHJK';

  it('every choice seals to the same length, and sealing twice gives two different texts', () => {
    const sealed = ['for', 'against', 'abstain', 'c1', 'c10', 'z'.repeat(16)].map((c) => sealBallot(key, receipt, c));
    expect(new Set(sealed.map((s) => s.length)).size).toBe(1);
    expect(sealBallot(key, receipt, 'for')).not.toBe(sealBallot(key, receipt, 'for'));
    for (const s of sealed) expect(s).not.toContain(receipt);
  });

  it('opens with the vote key only', () => {
    const s = sealBallot(key, receipt, 'against');
    expect(unsealBallot(key, s)).toEqual({ receipt, choiceId: 'against' });
    expect(() => unsealBallot(randomBytes(32), s)).toThrow();
  });
});

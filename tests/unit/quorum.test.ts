import { describe, expect, it } from 'vitest';
import { computeQuorum } from '../../shared/quorum';

const present = { status: 'present' as const };
describe('computeQuorum (more than half of the voting members)', () => {
  it('needs more than half: 4 of 7, 4 of 6', () => {
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(computeQuorum(seven, { a: present, b: present, c: present })).toMatchObject({
      members: 7,
      present: 3,
      required: 4,
      reached: false,
    });
    expect(computeQuorum(seven, { a: present, b: present, c: present, d: present })).toMatchObject({
      required: 4,
      reached: true,
    });
    expect(computeQuorum(seven.slice(0, 6), { a: present, b: present, c: present })).toMatchObject({
      required: 4,
      reached: false,
    });
  });

  it('counts late arrivals, not the absent or excused, and ignores non-voting people', () => {
    const q = computeQuorum(['a', 'b', 'c'], {
      a: { status: 'late' },
      b: { status: 'excused' },
      c: { status: 'absent' },
      guest: present,
    });
    expect(q).toEqual({ rule: 'majority-of-members', members: 3, present: 1, required: 2, reached: false });
  });

  it('a meeting without voting members never has quorum', () => {
    expect(computeQuorum([], {}).reached).toBe(false);
  });
});

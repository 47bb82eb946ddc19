import { describe, expect, it } from 'vitest';
import { evaluateRule, validateRule } from '../../shared/vote-rules';

const t = (members: number, present: number, cast: number, inFavour: number) => ({ members, present, cast, inFavour });

describe('majority of members (quá nửa tổng số thành viên)', () => {
  const rule = { kind: 'majority_of_members' } as const;
  it('exactly half does not pass', () => {
    expect(evaluateRule(rule, t(10, 10, 10, 5))).toEqual({ passed: false, base: 10, needed: 6 });
    expect(evaluateRule(rule, t(10, 10, 10, 6)).passed).toBe(true);
  });
  it('odd membership: 8 of 15 passes, 7 does not', () => {
    expect(evaluateRule(rule, t(15, 15, 15, 8)).passed).toBe(true);
    expect(evaluateRule(rule, t(15, 15, 15, 7)).passed).toBe(false);
  });
  it('absent members still count in the base', () => {
    expect(evaluateRule(rule, t(15, 9, 9, 7))).toMatchObject({ passed: false, base: 15, needed: 8 });
  });
});

describe('majority of present (quá nửa số có mặt)', () => {
  const rule = { kind: 'majority_of_present' } as const;
  it('measures against those present, including proxies', () => {
    expect(evaluateRule(rule, t(15, 9, 9, 5))).toMatchObject({ passed: true, base: 9, needed: 5 });
    expect(evaluateRule(rule, t(15, 10, 10, 5))).toMatchObject({ passed: false, needed: 6 });
  });
  it('abstentions count against (they are present but not for)', () => {
    expect(evaluateRule(rule, t(15, 12, 12, 6)).passed).toBe(false);
  });
});

describe('two thirds of members (từ 2/3 trở lên)', () => {
  const rule = { kind: 'two_thirds_of_members' } as const;
  it('15 members: 10 passes, 9 does not', () => {
    expect(evaluateRule(rule, t(15, 15, 15, 10))).toMatchObject({ passed: true, needed: 10 });
    expect(evaluateRule(rule, t(15, 15, 15, 9)).passed).toBe(false);
  });
  it('14 members: 2/3 is 9.33, so 10 is needed', () => {
    expect(evaluateRule(rule, t(14, 14, 14, 10))).toMatchObject({ passed: true, needed: 10 });
    expect(evaluateRule(rule, t(14, 14, 14, 9)).passed).toBe(false);
  });
});

describe('set thresholds', () => {
  it('three quarters of ballots cast, at least', () => {
    const rule = { kind: 'threshold', numerator: 3, denominator: 4, base: 'cast', strict: false } as const;
    expect(evaluateRule(rule, t(20, 12, 8, 6))).toMatchObject({ passed: true, needed: 6 });
    expect(evaluateRule(rule, t(20, 12, 8, 5)).passed).toBe(false);
  });
  it('nobody present never passes', () => {
    expect(evaluateRule({ kind: 'majority_of_present' }, t(5, 0, 0, 0)).passed).toBe(false);
  });
  it('validates fractions', () => {
    expect(validateRule({ kind: 'threshold', numerator: 3, denominator: 2, base: 'cast', strict: false })).toMatch(/between/);
    expect(validateRule({ kind: 'threshold', numerator: 2, denominator: 3, base: 'cast', strict: true })).toBeNull();
  });
});

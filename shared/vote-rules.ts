// Passing rules for votes (biểu quyết), in exact integer arithmetic: no floating point ever
// decides whether a motion passes. Percentages are computed from integers too and formatted the
// Vietnamese way ("80,00%").

export type VoteRule =
  | { kind: 'majority_of_members' } // quá nửa tổng số thành viên
  | { kind: 'majority_of_present' } // quá nửa số thành viên có mặt
  | { kind: 'two_thirds_of_members' } // từ hai phần ba tổng số thành viên trở lên
  /** a set threshold: "for" must reach numerator/denominator of the base (strictly more, if strict) */
  | { kind: 'threshold'; numerator: number; denominator: number; base: 'members' | 'present' | 'cast'; strict: boolean };

export interface TallyInput {
  /** voting members of the meeting */
  members: number;
  /** voting members present (a member represented by a proxy counts as present) */
  present: number;
  /** ballots cast, all choices */
  cast: number;
  /** ballots for the motion (the first choice, "Tán thành") */
  inFavour: number;
}

export interface RuleOutcome {
  passed: boolean;
  /** the number the rule measures against */
  base: number;
  /** the least number of "for" ballots that passes */
  needed: number;
}

export function ruleBase(rule: VoteRule, t: TallyInput): number {
  switch (rule.kind) {
    case 'majority_of_members':
    case 'two_thirds_of_members':
      return t.members;
    case 'majority_of_present':
      return t.present;
    case 'threshold':
      return rule.base === 'members' ? t.members : rule.base === 'present' ? t.present : t.cast;
  }
}

/** Smallest n with n/base > p/q (strict) or n/base >= p/q, in integers. */
function smallestPassing(base: number, p: number, q: number, strict: boolean): number {
  const n = Math.floor((base * p) / q);
  const exact = (base * p) % q === 0;
  return strict ? n + 1 : exact ? n : n + 1;
}

export function evaluateRule(rule: VoteRule, t: TallyInput): RuleOutcome {
  const base = ruleBase(rule, t);
  const [p, q, strict] =
    rule.kind === 'majority_of_members' || rule.kind === 'majority_of_present'
      ? [1, 2, true]
      : rule.kind === 'two_thirds_of_members'
        ? [2, 3, false]
        : [rule.numerator, rule.denominator, rule.strict];
  const needed = smallestPassing(base, p, q, strict);
  return { passed: base > 0 && t.inFavour >= needed, base, needed };
}

export { formatPercent } from './format-percent';

export function validateRule(rule: VoteRule): string | null {
  if (rule.kind !== 'threshold') return null;
  const { numerator: p, denominator: q } = rule;
  if (!Number.isInteger(p) || !Number.isInteger(q) || p < 1 || q < 1 || p > q)
    return 'threshold must be a fraction between 0 and 1';
  return null;
}

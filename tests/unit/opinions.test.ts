// The result of a written-opinion question at its edges: exactly half, non-answers under a rule on
// all members and under a rule on those who answered, "Ý kiến khác" quoted with its author.
import { describe, expect, it } from 'vitest';
import { tallyQuestion, type OpinionChoice } from '../../shared/opinions';

const answers = (agree: number, disagree: number, other: number) => [
  ...Array.from({ length: agree }, (_, i) => ({ name: `A${i}`, choice: 'agree' as OpinionChoice })),
  ...Array.from({ length: disagree }, (_, i) => ({ name: `D${i}`, choice: 'disagree' as OpinionChoice })),
  ...Array.from({ length: other }, (_, i) => ({ name: `O${i}`, choice: 'other' as OpinionChoice, text: `ý kiến ${i}` })),
];

describe('tallyQuestion', () => {
  it('more than half of all asked: exactly half does not pass; non-answers count against', () => {
    expect(tallyQuestion('q1', { kind: 'majority_of_members' }, 10, answers(5, 5, 0))).toMatchObject({
      agree: 5,
      noAnswer: 0,
      base: 10,
      needed: 6,
      passed: false,
    });
    expect(tallyQuestion('q1', { kind: 'majority_of_members' }, 10, answers(6, 0, 0))).toMatchObject({
      noAnswer: 4,
      passed: true,
    });
    // 5 of 10 answered, all agree: 5/10 is not more than half of those asked
    expect(tallyQuestion('q1', { kind: 'majority_of_members' }, 10, answers(5, 0, 0))).toMatchObject({
      noAnswer: 5,
      passed: false,
    });
  });
  it('more than half of those who answered: non-answers do not count', () => {
    // "present" = those who answered
    expect(tallyQuestion('q1', { kind: 'majority_of_present' }, 10, answers(3, 1, 1))).toMatchObject({
      base: 5,
      needed: 3,
      passed: true,
      noAnswer: 5,
    });
    expect(tallyQuestion('q1', { kind: 'majority_of_present' }, 10, answers(2, 1, 1))).toMatchObject({
      base: 4,
      needed: 3,
      passed: false,
    });
  });
  it('nobody answered: nothing passes', () => {
    expect(tallyQuestion('q1', { kind: 'majority_of_present' }, 3, [])).toMatchObject({ base: 0, passed: false, noAnswer: 3 });
  });
  it('other opinions and comments are quoted with their authors', () => {
    const r = tallyQuestion('q1', { kind: 'two_thirds_of_members' }, 3, [
      { name: 'Lê Văn Cường', choice: 'other', text: 'Đề nghị bổ sung kinh phí' },
      { name: 'Phạm Thị Dung', choice: 'agree', text: '  ' },
      { name: 'Hoàng Văn Em', choice: 'agree' },
    ]);
    expect(r).toMatchObject({ agree: 2, other: 1, needed: 2, passed: true });
    expect(r.opinions).toEqual([{ name: 'Lê Văn Cường', choice: 'other', text: 'Đề nghị bổ sung kinh phí' }]);
  });
});

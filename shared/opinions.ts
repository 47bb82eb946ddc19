// Written opinions (lấy ý kiến bằng văn bản): the office asks members to answer one or more
// questions on a proposal (tờ trình) by a deadline; each answers Đồng ý / Không đồng ý / Ý kiến khác
// (with text) per question and confirms with their signature. Only signed answers count. The result
// per question applies a vote rule we already have (shared/vote-rules.ts) with the asked members as
// "members", those who answered as "present" and "cast", and "Đồng ý" as "for": so with a rule on all
// members, a member who did not answer counts as not agreeing (shown as "không trả lời").
import Type from 'typebox';
import { Id } from './api';
import { evaluateRule, type VoteRule } from './vote-rules';
import { VoteRuleSchema } from './votes';

export const MAX_OPINION_QUESTIONS = 20;
export const MAX_OPINION_TEXT = 2000;
export const MAX_OPINION_RECIPIENTS = 500;

export type OpinionChoice = 'agree' | 'disagree' | 'other';
export const OPINION_CHOICES: readonly OpinionChoice[] = ['agree', 'disagree', 'other'];
export const CHOICE_LABEL_VI: Record<OpinionChoice, string> = { agree: 'Đồng ý', disagree: 'Không đồng ý', other: 'Ý kiến khác' };

export const CreateOpinionRequestBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 500 }),
    /** the tờ trình's text (what is proposed) */
    summary: Type.String({ maxLength: 20_000 }),
    /** documents of the meeting attached to the request */
    documentIds: Type.Array(Id, { maxItems: 50 }),
    questions: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { minItems: 1, maxItems: MAX_OPINION_QUESTIONS }),
    /** ISO instant, in the future */
    deadline: Type.String({ format: 'date-time', maxLength: 40 }),
    /** who is asked: members of the meeting (not guests) */
    recipientIds: Type.Array(Id, { minItems: 1, maxItems: MAX_OPINION_RECIPIENTS }),
    rule: VoteRuleSchema,
    /**
     * a named request (phiếu ghi danh): the members asked and the office see each other's signed
     * answers, with names, before the result; by default nobody sees another's answer until then
     */
    named: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateOpinionRequest = Type.Static<typeof CreateOpinionRequestBody>;

export const OpinionAnswerSchema = Type.Object(
  {
    questionId: Type.String({ minLength: 1, maxLength: 8, pattern: '^q[0-9]+$' }),
    choice: Type.Union([Type.Literal('agree'), Type.Literal('disagree'), Type.Literal('other')]),
    /** required for "Ý kiến khác", optional comment otherwise */
    text: Type.Optional(Type.String({ maxLength: MAX_OPINION_TEXT })),
  },
  { additionalProperties: false },
);
export type OpinionAnswer = Type.Static<typeof OpinionAnswerSchema>;

export const SaveAnswersBody = Type.Object(
  { answers: Type.Array(OpinionAnswerSchema, { minItems: 1, maxItems: MAX_OPINION_QUESTIONS }) },
  { additionalProperties: false },
);

export const OpinionParams = Type.Object({ id: Id }, { additionalProperties: false });
export const MeetingOpinionsParams = Type.Object({ id: Id }, { additionalProperties: false });

const ChoiceSchema = Type.Union([Type.Literal('agree'), Type.Literal('disagree'), Type.Literal('other')]);

export const OpinionQuestionSchema = Type.Object({ id: Type.String(), text: Type.String() });
export type OpinionQuestion = Type.Static<typeof OpinionQuestionSchema>;

export const QuestionResultSchema = Type.Object({
  questionId: Type.String(),
  agree: Type.Integer(),
  disagree: Type.Integer(),
  other: Type.Integer(),
  /** asked members without a signed answer */
  noAnswer: Type.Integer(),
  base: Type.Integer(),
  needed: Type.Integer(),
  passed: Type.Boolean(),
  /** "Ý kiến khác" and comments, with their authors (published only with the result) */
  opinions: Type.Array(Type.Object({ name: Type.String(), choice: ChoiceSchema, text: Type.String() })),
});
export type QuestionResult = Type.Static<typeof QuestionResultSchema>;

export const OpinionResultSchema = Type.Object({
  asked: Type.Integer(),
  answered: Type.Integer(),
  closedBecause: Type.Union([Type.Literal('deadline'), Type.Literal('allAnswered')]),
  questions: Type.Array(QuestionResultSchema),
});
export type OpinionResult = Type.Static<typeof OpinionResultSchema>;

/**
 * The result of one question. `answers`: the signed answers to it (one per member who answered).
 * Integers only; the rule is the vote rule with members = asked, present = cast = answered.
 */
export function tallyQuestion(
  questionId: string,
  rule: VoteRule,
  asked: number,
  answers: readonly { name: string; choice: OpinionChoice; text?: string }[],
): QuestionResult {
  const n = (c: OpinionChoice) => answers.filter((a) => a.choice === c).length;
  const agree = n('agree');
  const outcome = evaluateRule(rule, { members: asked, present: answers.length, cast: answers.length, inFavour: agree });
  return {
    questionId,
    agree,
    disagree: n('disagree'),
    other: n('other'),
    noAnswer: asked - answers.length,
    base: outcome.base,
    needed: outcome.needed,
    passed: outcome.passed,
    opinions: answers
      .filter((a) => (a.text ?? '').trim() !== '')
      .map((a) => ({ name: a.name, choice: a.choice, text: a.text!.trim() })),
  };
}

/** What GET /api/opinions/:id (and the other calls on a request) answer: the response schema of the routes. */
export const OpinionRequestViewSchema = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  documents: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
  questions: Type.Array(OpinionQuestionSchema),
  deadline: Type.String(),
  rule: VoteRuleSchema,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  createdAt: Type.String(),
  /** a named request: see `answers` */
  named: Type.Boolean(),
  asked: Type.Array(Type.Object({ userId: Type.String(), fullName: Type.String() })),
  /** how many have signed their answers (never who answered what before the result, unless named) */
  answeredCount: Type.Integer(),
  /** the caller's own answers, if asked */
  mine: Type.Union([
    Type.Object({
      answers: Type.Array(OpinionAnswerSchema),
      updatedAt: Type.Union([Type.String(), Type.Null()]),
      signedAt: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  /**
   * a named request only: every signed answer with its author, as soon as it is signed (a saved,
   * unsigned answer is still its author's draft); null for a request that is not named
   */
  answers: Type.Union([
    Type.Array(
      Type.Object({
        userId: Type.String(),
        fullName: Type.String(),
        answers: Type.Array(OpinionAnswerSchema),
        signedAt: Type.String(),
      }),
    ),
    Type.Null(),
  ]),
  /** what the caller may do */
  can: Type.Object({ answer: Type.Boolean(), seeSummary: Type.Boolean() }),
  result: Type.Union([OpinionResultSchema, Type.Null()]),
  /** the signed báo cáo tổng hợp ý kiến, once closed */
  reportReady: Type.Boolean(),
});
export type OpinionRequestView = Type.Static<typeof OpinionRequestViewSchema>;

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

export interface OpinionQuestion { id: string; text: string }

export interface QuestionResult {
  questionId: string;
  agree: number;
  disagree: number;
  other: number;
  /** asked members without a signed answer */
  noAnswer: number;
  base: number;
  needed: number;
  passed: boolean;
  /** "Ý kiến khác" and comments, with their authors (published only with the result) */
  opinions: { name: string; choice: OpinionChoice; text: string }[];
}

export interface OpinionResult {
  asked: number;
  answered: number;
  closedBecause: 'deadline' | 'allAnswered';
  questions: QuestionResult[];
}

/**
 * The result of one question. `answers`: the signed answers to it (one per member who answered).
 * Integers only; the rule is the vote rule with members = asked, present = cast = answered.
 */
export function tallyQuestion(
  questionId: string, rule: VoteRule, asked: number,
  answers: readonly { name: string; choice: OpinionChoice; text?: string }[],
): QuestionResult {
  const n = (c: OpinionChoice) => answers.filter((a) => a.choice === c).length;
  const agree = n('agree');
  const outcome = evaluateRule(rule, { members: asked, present: answers.length, cast: answers.length, inFavour: agree });
  return {
    questionId, agree, disagree: n('disagree'), other: n('other'), noAnswer: asked - answers.length,
    base: outcome.base, needed: outcome.needed, passed: outcome.passed,
    opinions: answers.filter((a) => (a.text ?? '').trim() !== '').map((a) => ({ name: a.name, choice: a.choice, text: a.text!.trim() })),
  };
}

export interface OpinionRequestView {
  id: string;
  meetingId: string;
  title: string;
  summary: string;
  documents: { id: string; title: string }[];
  questions: OpinionQuestion[];
  deadline: string;
  rule: VoteRule;
  status: 'open' | 'closed';
  createdAt: string;
  asked: { userId: string; fullName: string }[];
  /** how many have signed their answers (never who answered what before the result) */
  answeredCount: number;
  /** the caller's own answers, if asked */
  mine: { answers: OpinionAnswer[]; updatedAt: string | null; signedAt: string | null } | null;
  /** what the caller may do */
  can: { answer: boolean; seeSummary: boolean };
  result: OpinionResult | null;
  /** the signed báo cáo tổng hợp ý kiến, once closed */
  reportReady: boolean;
}

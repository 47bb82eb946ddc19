// The vote-counting minutes (biên bản kiểm phiếu) of an election: what the PDF shows, built on the
// server from the published result (server/elections/build-counting-report.ts), and the HTTP
// schemas of its routes (create with the counting committee, sign, read).
import Type from 'typebox';
import { Id } from './api';

/** a counting committee (ban kiểm phiếu) has a head and up to a few members */
export const MAX_COMMITTEE = 7;

export interface CountingReportDocument {
  organization: { parentAgency: string; unitName: string };
  number: string;
  place: string;
  /** when the report is drawn up (ISO instant) */
  date: string;
  /** trích yếu without "Về việc", e.g. "kết quả bầu Trưởng ban kiểm tra" */
  subject: string;
  meetingTitle: string;
  location: string;
  question: string;
  secret: boolean;
  form: 'choose' | 'strike';
  seats: number;
  ruleLabel: string;
  members: number;
  present: number;
  ballotsCast: number;
  blank: number;
  /** percentages of ALL members, final text ("50,00%") */
  candidates: { name: string; votes: number; percent: string; elected: boolean }[];
  elected: string[];
  tied: string[];
  unfilledSeats: number;
  committee: { fullName: string; head: boolean }[];
  eventLogHeadHash: string;
}

export const CreateCountingReportBody = Type.Object(
  {
    /** the counting committee, head first: meeting members, no one twice */
    committee: Type.Array(Id, { minItems: 1, maxItems: MAX_COMMITTEE }),
  },
  { additionalProperties: false },
);

export const VoteParams = Type.Object({ id: Id, voteId: Id }, { additionalProperties: false });

export const CountingReportSchema = Type.Object({
  voteId: Type.String(),
  pageCount: Type.Integer(),
  sha256: Type.String(),
  committee: Type.Array(
    Type.Object({
      userId: Type.String(),
      fullName: Type.String(),
      head: Type.Boolean(),
      signedAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  /** every committee member has signed */
  complete: Type.Boolean(),
});
export type CountingReportView = Type.Static<typeof CountingReportSchema>;

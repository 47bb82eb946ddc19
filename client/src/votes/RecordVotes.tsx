// The chair's and the secretary's part of an open vote for members present without a device.
// Named vote: record a member's vote as they say it aloud ("ghi nhận bởi" the officer, public at
// once). Secret vote: the member votes on a paper ballot, the counting committee counts the paper
// ballots and the officer enters who voted on paper and the total per choice; the counts stay
// sealed until the vote closes, merged with the electronic ballots (server: vote.paperTally).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api';
import type { MeetingState } from '../../../shared/meeting-state';
import type { VoteState } from '../../../shared/votes';
import { choiceLabel } from './vote-text';
import { ElectionPaperBallots } from './ElectionPaperBallots';
import { PaperMembersPicker } from './PaperMembersPicker';

export interface RecordVoteActions {
  record: (voteId: string, memberId: string, choice: string) => Promise<boolean>;
  paperTally: (voteId: string, memberIds: string[], counts: { choiceId: string; count: number }[]) => Promise<boolean>;
  /** a secret election: each paper ballot's marks (ElectionPaperBallots) */
  paperBallots: (voteId: string, memberIds: string[], ballots: string[][]) => Promise<boolean>;
}

/** The server's rule (server/live/vote-commands.ts requireRecordable), to offer only who it accepts. */
export function recordableMembers(state: MeetingState, vote: VoteState): string[] {
  const holders = new Set(Object.values(vote.proxies));
  return state.votingMemberIds.filter((id) => {
    const a = state.attendance[id]?.status;
    return (
      (a === 'present' || a === 'late') && vote.proxies[id] === undefined && !vote.voted[id] && !(vote.secret && holders.has(id))
    );
  });
}

export function RecordVotes(props: { state: MeetingState; vote: VoteState; members: Member[]; actions: RecordVoteActions }) {
  const { t } = useTranslation();
  const { vote } = props;
  const nameOf = (id: string) => props.members.find((m) => m.userId === id)?.fullName ?? id;
  const eligible = useMemo(() => recordableMembers(props.state, vote), [props.state, vote]);
  const [member, setMember] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const total = vote.choices.reduce((n, c) => n + (counts[c.id] ?? 0), 0);
  const chosen = picked.filter((id) => eligible.includes(id));

  // an election: paper ballots ballot by ballot when secret; a named one is voted on the tablets only
  // (the server refuses an officer's record of an election ballot)
  if (vote.election)
    return vote.secret ? (
      <ElectionPaperBallots state={props.state} vote={vote} members={props.members} actions={props.actions} />
    ) : null;
  if (!vote.secret) {
    return (
      <details className="record-votes" data-testid="record-votes">
        <summary>{t('votes.record.title')}</summary>
        <p className="muted">{t('votes.record.rule')}</p>
        {eligible.length === 0 ? (
          <p className="muted">{t('votes.record.nobody')}</p>
        ) : (
          <>
            <label className="field">
              <span>{t('votes.record.member')}</span>
              <select value={member} onChange={(e) => setMember(e.target.value)} data-testid="record-member">
                <option value="">{t('votes.proxy.choose')}</option>
                {eligible.map((id) => (
                  <option key={id} value={id}>
                    {nameOf(id)}
                  </option>
                ))}
              </select>
            </label>
            <div className="vote-card__actions">
              {vote.choices.map((c) => (
                <button
                  key={c.id}
                  type="button"
                  className="btn btn--secondary"
                  disabled={!member || busy}
                  data-testid={`record-${c.id}`}
                  onClick={async () => {
                    setBusy(true);
                    if (await props.actions.record(vote.id, member, c.id)) setMember('');
                    setBusy(false);
                  }}
                >
                  {choiceLabel(t, c)}
                </button>
              ))}
            </div>
          </>
        )}
      </details>
    );
  }
  return (
    <details className="record-votes" data-testid="paper-tally">
      <summary>{t('votes.paper.title')}</summary>
      <p className="muted">{t('votes.paper.rule')}</p>
      {eligible.length === 0 ? (
        <p className="muted">{t('votes.record.nobody')}</p>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            const ok = await props.actions.paperTally(
              vote.id,
              chosen,
              vote.choices.map((c) => ({ choiceId: c.id, count: counts[c.id] ?? 0 })).filter((c) => c.count > 0),
            );
            setBusy(false);
            if (ok) {
              setPicked([]);
              setCounts({});
            }
          }}
        >
          <PaperMembersPicker eligible={eligible} picked={picked} onChange={setPicked} nameOf={nameOf} />
          <div className="record-votes__counts">
            {vote.choices.map((c) => (
              <label key={c.id} className="field">
                <span>{choiceLabel(t, c)}</span>
                <input
                  type="number"
                  min={0}
                  max={chosen.length}
                  inputMode="numeric"
                  value={counts[c.id] ?? 0}
                  onChange={(e) => setCounts((x) => ({ ...x, [c.id]: Math.max(0, Math.floor(Number(e.target.value) || 0)) }))}
                />
              </label>
            ))}
          </div>
          {chosen.length > 0 && total !== chosen.length && (
            <p className="vote-warn" role="alert">
              {t('votes.paper.mismatch', { counted: total, members: chosen.length })}
            </p>
          )}
          <button
            type="submit"
            className="btn btn--primary btn--block"
            disabled={busy || chosen.length === 0 || total !== chosen.length}
          >
            {t('votes.paper.submit')}
          </button>
        </form>
      )}
    </details>
  );
}

// A secret election's paper ballots (phiếu bầu giấy), entered by the chair or the secretary for the
// counting committee ballot by ballot: which present members voted on paper, then each paper ballot's
// marks as it reads (names struck out, or ticked), checked as a tablet ballot (shared/elections.ts
// ballotFromMarks: no more names kept than seats). A total per candidate cannot be entered: it could
// not say which names each ballot kept. The server seals them like any secret ballot
// (vote.paperTally with `ballots`; docs/elections.md).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api';
import { ballotFromMarks } from '../../../shared/elections';
import type { MeetingState } from '../../../shared/meeting-state';
import type { VoteState } from '../../../shared/votes';
import { recordableMembers, type RecordVoteActions } from './RecordVotes';
import { PaperMembersPicker } from './PaperMembersPicker';

export function ElectionPaperBallots(props: {
  state: MeetingState;
  vote: VoteState;
  members: Member[];
  actions: RecordVoteActions;
}) {
  const { t } = useTranslation();
  const { vote } = props;
  const setup = vote.election!;
  const strike = setup.form === 'strike';
  const nameOf = (id: string) => props.members.find((m) => m.userId === id)?.fullName ?? id;
  const labelOf = (id: string) => vote.choices.find((c) => c.id === id)?.label ?? id;
  const eligible = useMemo(() => recordableMembers(props.state, vote), [props.state, vote]);
  const [picked, setPicked] = useState<string[]>([]);
  const [marks, setMarks] = useState<string[]>([]);
  const [ballots, setBallots] = useState<string[][]>([]);
  const [busy, setBusy] = useState(false);
  const chosen = picked.filter((id) => eligible.includes(id));
  const current = ballotFromMarks(setup, vote.choices, marks);
  const kept = (m: string[]) => {
    const r = ballotFromMarks(setup, vote.choices, m);
    return r.ok ? r.kept : [];
  };

  return (
    <details className="record-votes" data-testid="paper-ballots">
      <summary>{t('votes.paperElection.title')}</summary>
      <p className="muted">{t('votes.paperElection.rule')}</p>
      {eligible.length === 0 ? (
        <p className="muted">{t('votes.record.nobody')}</p>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            const ok = await props.actions.paperBallots(vote.id, chosen, ballots);
            setBusy(false);
            if (ok) {
              setPicked([]);
              setBallots([]);
              setMarks([]);
            }
          }}
        >
          <PaperMembersPicker eligible={eligible} picked={picked} onChange={setPicked} nameOf={nameOf} />
          <fieldset className="record-votes__members" data-testid="paper-ballot-current">
            <legend>
              {t('votes.paperElection.ballot', { n: ballots.length + 1 })} ·{' '}
              {strike ? t('votes.paperElection.strikeHint') : t('votes.paperElection.chooseHint')}
            </legend>
            {vote.choices.map((c) => (
              <label key={c.id} className={`check ${strike && marks.includes(c.id) ? 'paper-ballot__struck' : ''}`}>
                <input
                  type="checkbox"
                  checked={marks.includes(c.id)}
                  data-candidate={c.id}
                  onChange={(e) => setMarks((m) => (e.target.checked ? [...m, c.id] : m.filter((x) => x !== c.id)))}
                />
                {c.label}
              </label>
            ))}
            {/* said once something is marked: an untouched strike-out ballot is simply not read yet */}
            {!current.ok && marks.length > 0 && (
              <p className="vote-warn" role="alert">
                {t('votes.paperElection.tooMany', { seats: setup.seats })}
              </p>
            )}
            <button
              type="button"
              className="btn btn--secondary"
              disabled={!current.ok}
              data-testid="paper-ballot-add"
              onClick={() => {
                setBallots((b) => [...b, marks]);
                setMarks([]);
              }}
            >
              {t('votes.paperElection.add')}
            </button>
          </fieldset>
          {ballots.length > 0 && (
            <ol className="paper-ballot__list" data-testid="paper-ballot-list">
              {ballots.map((b, i) => (
                <li key={i}>
                  {kept(b).length === 0 ? t('votes.paperElection.blank') : kept(b).map(labelOf).join(', ')}{' '}
                  <button
                    type="button"
                    className="link-btn"
                    onClick={() => setBallots((x) => x.filter((_, k) => k !== i))}
                    aria-label={t('votes.paperElection.removeBallot', { n: i + 1 })}
                  >
                    {t('votes.paperElection.remove')}
                  </button>
                </li>
              ))}
            </ol>
          )}
          {chosen.length > 0 && ballots.length !== chosen.length && (
            <p className="vote-warn" role="alert">
              {t('votes.paper.mismatch', { counted: ballots.length, members: chosen.length })}
            </p>
          )}
          <button
            type="submit"
            className="btn btn--primary btn--block"
            data-testid="paper-ballots-submit"
            disabled={busy || chosen.length === 0 || ballots.length !== chosen.length}
          >
            {t('votes.paperElection.submit', { n: ballots.length })}
          </button>
        </form>
      )}
    </details>
  );
}

// An election's result: who is elected, a line per candidate with votes and the percentage of ALL
// members (the official way), blank ballots, a tie at the last seat and seats left open. The seat
// rule itself is in shared/elections.ts (docs/elections.md).
import { useTranslation } from 'react-i18next';
import type { VoteResult, VoteState } from '../../../shared/votes';
import { electionHeadline, percent } from './vote-text';

export function ElectionResult(props: { vote: VoteState; result: VoteResult; large?: boolean }) {
  const { t } = useTranslation();
  const { vote, result } = props;
  const e = result.election!;
  const name = (id: string) => vote.choices.find((c) => c.id === id)?.label ?? id;
  return (
    <>
      <div className="vote-result__headline" data-testid="vote-announcement">
        {electionHeadline(t, result, vote.choices)}
      </div>
      <ul className="vote-result__lines" data-testid="election-lines">
        {e.candidates.map((c) => (
          <li key={c.choiceId} data-candidate={c.choiceId} data-elected={c.elected ? 'true' : 'false'}>
            <span>
              {t('elections.result.line', {
                name: name(c.choiceId),
                votes: c.votes,
                members: result.members,
                percent: percent(c.votes, result.members),
              })}
              {c.elected && <strong className="tag election__elected"> {t('elections.result.electedTag')}</strong>}
            </span>
            <span className="vote-result__bar" aria-hidden>
              <span style={{ width: `${result.members > 0 ? Math.min(100, (c.votes * 100) / result.members) : 0}%` }} />
            </span>
          </li>
        ))}
      </ul>
      {e.tiedAtLastSeat.length > 0 && (
        <p className="vote-warn" data-testid="election-tie">
          {t('elections.result.tie', { names: e.tiedAtLastSeat.map(name).join(', ') })}
        </p>
      )}
      {e.unfilledSeats > 0 && (
        <p className="muted" data-testid="election-unfilled">
          {t('elections.result.unfilled', { n: e.unfilledSeats, seats: e.seats })}
        </p>
      )}
      <div className="muted">
        {t('elections.result.ballots', { ballots: e.ballots, blank: e.blank, needed: result.needed, base: result.base })}
      </div>
    </>
  );
}

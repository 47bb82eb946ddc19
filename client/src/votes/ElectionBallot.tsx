// An election ballot (phiếu bầu cử) for one slot: the candidates as large toggles. Form "choose":
// tick up to N names. Form "strike": cross out the names one does not elect, as on the paper ballot;
// the names left standing are the votes. The counter says what is left to do, and confirming is
// possible only for a valid ballot (no more names kept than seats); the server checks it again.
import { useState } from 'react';
import { Check } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { ballotFromMarks } from '../../../shared/elections';
import type { VoteState } from '../../../shared/votes';

export function ElectionBallot(props: {
  vote: VoteState;
  memberId: string;
  disabled: boolean;
  sending: boolean;
  onSend: (marks: string[]) => void;
}) {
  const { t } = useTranslation();
  const { vote } = props;
  const setup = vote.election!;
  const [marks, setMarks] = useState<string[]>([]);
  const strike = setup.form === 'strike';
  const check = ballotFromMarks(setup, vote.choices, marks);
  const keptCount = strike ? vote.choices.length - marks.length : marks.length;
  const toggle = (id: string) => setMarks((m) => (m.includes(id) ? m.filter((x) => x !== id) : [...m, id]));
  return (
    <>
      <p className="ballot__hint" id={`election-hint-${props.memberId}`}>
        {strike
          ? t('elections.ballot.strikeHint', { seats: setup.seats })
          : t('elections.ballot.chooseHint', { seats: setup.seats })}
      </p>
      <div
        className="ballot__choices election__candidates"
        role="group"
        aria-describedby={`election-hint-${props.memberId}`}
        data-testid="election-candidates"
      >
        {vote.choices.map((c) => {
          const marked = marks.includes(c.id);
          return (
            <button
              key={c.id}
              type="button"
              role="checkbox"
              aria-checked={marked}
              className={`ballot__choice election__candidate ${strike ? 'election__candidate--strike' : ''}`}
              data-candidate={c.id}
              data-marked={marked ? 'true' : 'false'}
              disabled={props.disabled}
              aria-label={
                strike ? t(marked ? 'elections.ballot.struckName' : 'elections.ballot.keptName', { name: c.label }) : c.label
              }
              onClick={() => toggle(c.id)}
            >
              <span className="ballot__radio" aria-hidden>
                {!strike && marked ? <Check size={22} /> : null}
              </span>
              <span className={strike && marked ? 'election__struck' : ''}>{c.label}</span>
            </button>
          );
        })}
      </div>
      <div className="election__counter" role="status" data-testid="election-counter" data-valid={check.ok ? 'true' : 'false'}>
        {t('elections.ballot.counter', { kept: keptCount, seats: setup.seats })}
        {!check.ok && check.reason === 'tooMany' && (
          <strong className="vote-warn">
            {' '}
            ·{' '}
            {strike
              ? t('elections.ballot.strikeMore', { n: keptCount - setup.seats })
              : t('elections.ballot.tooMany', { seats: setup.seats })}
          </strong>
        )}
        {check.ok && keptCount === 0 && <span className="muted"> · {t('elections.ballot.blank')}</span>}
      </div>
      <button
        type="button"
        className="btn btn--primary btn--block ballot__confirm"
        data-testid="ballot-confirm"
        disabled={!check.ok || props.disabled}
        onClick={() => props.onSend(marks)}
      >
        {props.sending ? t('votes.ballot.sending') : t('elections.ballot.confirm', { n: keptCount })}
      </button>
    </>
  );
}

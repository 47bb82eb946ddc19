// A closed vote's result in the official form, for the tablet and (large) for the room screen:
// "Tán thành 12/15 phiếu (80,00%) — thông qua", a line per choice, who voted what (named) or the
// published ballot list sorted by receipt (secret), where the voter finds their own receipt.
// A secret choice is never shown unprompted: neighbours see a tablet. The voter's own receipt is
// marked only after they press "check my ballot", and only while they keep the list open.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VoteResult as Result, VoteState } from '../../../shared/votes';
import { announcementText, choiceLabel, countLine, ruleLabel } from './vote-text';
import { useReceipts } from './receipts';
import { ElectionResult } from './ElectionResult';
import { selectionLabels } from '../../../shared/elections';

export function VoteResult(props: {
  vote: VoteState;
  result: Result;
  nameOf?: (userId: string) => string | null;
  large?: boolean;
  /** the ballot lists (named: who voted what; secret: receipts), for the tablet */
  details?: boolean;
}) {
  const { t } = useTranslation();
  const { vote, result } = props;
  const [checking, setChecking] = useState(false);
  const stored = useReceipts(vote.id);
  const myReceipts = props.details ? Object.values(stored) : [];
  const mine = checking ? new Set(myReceipts) : new Set<string>();
  const labelOf = (id: string) => {
    // an election's ballot is a selection code: the names it keeps
    if (vote.election) {
      const names = selectionLabels(vote.choices, id);
      return names === null ? id : names.length > 0 ? names.join(', ') : t('elections.ballot.blank');
    }
    const c = vote.choices.find((x) => x.id === id);
    return c ? choiceLabel(t, c) : id;
  };
  return (
    <div
      className={`vote-result ${props.large ? 'vote-result--large' : ''} ${result.passed ? 'vote-result--passed' : 'vote-result--failed'}`}
      data-testid="vote-result"
      data-passed={result.passed ? 'true' : 'false'}
    >
      <div className="vote-result__question">{vote.question}</div>
      {result.election ? (
        <ElectionResult vote={vote} result={result} />
      ) : (
        <>
          <div className="vote-result__headline" data-testid="vote-announcement">
            {announcementText(t, result, vote.choices)}
          </div>
          <ul className="vote-result__lines">
            {result.counts.map((c) => (
              <li key={c.choiceId} data-choice={c.choiceId}>
                <span>{countLine(t, labelOf(c.choiceId), c.count, result.base)}</span>
                <span className="vote-result__bar" aria-hidden>
                  <span style={{ width: `${result.base > 0 ? Math.min(100, (c.count * 100) / result.base) : 0}%` }} />
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="vote-result__meta">
        {t('votes.result.totals', { cast: result.cast, members: result.members, present: result.present })} ·{' '}
        {ruleLabel(t, result.rule)}
        {result.paperBallots ? (
          <>
            {' '}
            · <span data-testid="paper-ballots">{t('votes.result.paper', { n: result.paperBallots })}</span>
          </>
        ) : null}
        {!result.quorum.reached && <strong className="vote-result__warn"> · {t('votes.result.noQuorum')}</strong>}
      </div>
      {props.details && result.named && result.named.length > 0 && (
        <details className="vote-result__list">
          <summary>{t('votes.result.namedList')}</summary>
          <ul>
            {result.named.map((n) => (
              <li key={n.memberId}>
                <span>{props.nameOf?.(n.memberId) ?? n.memberId}</span>
                <span>
                  {labelOf(n.choiceId)}
                  {n.castBy !== n.memberId
                    ? ` (${t('votes.result.byProxy', { name: props.nameOf?.(n.castBy) ?? n.castBy })})`
                    : ''}
                  {n.recordedBy
                    ? ` (${t('votes.result.recordedBy', { name: props.nameOf?.(n.recordedBy) ?? n.recordedBy })})`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {/* no ballots cast: no empty "by receipt" heading */}
      {props.details && result.ballots && result.ballots.length > 0 && (
        <>
          {myReceipts.length > 0 && !checking && (
            <button
              type="button"
              className="btn btn--secondary btn--compact"
              data-testid="check-receipt"
              onClick={() => setChecking(true)}
            >
              {t('votes.result.checkMine')}
            </button>
          )}
          <details
            className="vote-result__list"
            open={checking}
            onToggle={(e) => {
              if (!e.currentTarget.open) setChecking(false);
            }}
          >
            <summary>{t('votes.result.ballotList', { n: result.ballots.length })}</summary>
            <ul data-testid="ballot-list">
              {result.ballots.map((b) => (
                <li key={b.receipt} className={mine.has(b.receipt) ? 'vote-result__mine' : ''} data-receipt={b.receipt}>
                  <code>{b.receipt}</code>
                  <span>
                    {labelOf(b.choiceId)}
                    {mine.has(b.receipt) ? ` — ${t('votes.result.yours')}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </div>
  );
}

// The room screen's part of votes and the floor: the open vote with how many have voted (and the
// running counts of a named vote), the latest result in the official form, large; and who speaks,
// with the timer, and who is next.
import { Mic } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { MeetingState } from '../../../shared/meeting-state';
import { runningCounts } from '../../../shared/votes';
import { SpeakerTimer } from '../floor/FloorQueue';
import { VoteResult } from './VoteResult';
import './votes.css';
import { choiceLabel } from './vote-text';

/**
 * Over the stage: the open vote, else the most recent result. A named vote's running counts only
 * when the room link asks for them (`runningTally`): by default the room sees how many have voted,
 * and the counts at close, so the tally does not sway those still voting.
 */
export function RoomVoteBanner({ state, runningTally = false }: { state: MeetingState; runningTally?: boolean }) {
  const { t } = useTranslation();
  const open = state.votes.openVoteId ? state.votes.byId[state.votes.openVoteId] : undefined;
  const lastId = [...state.votes.order].reverse().find((id) => state.votes.byId[id]?.status === 'closed');
  const last = lastId ? state.votes.byId[lastId] : undefined;
  if (open) {
    const running = runningCounts(open);
    return (
      <section className="room-vote" data-testid="room-vote" data-status="open" data-cast={running.cast}>
        <div className="room-vote__kicker">{open.secret ? t('votes.room.openSecret') : t('votes.room.open')}</div>
        <div className="room-vote__question">{open.question}</div>
        <div className="room-vote__count">
          {t('votes.castCount', { cast: running.cast, members: state.votingMemberIds.length })}
        </div>
        {runningTally && running.counts && (
          <div className="room-vote__running">
            {running.counts.map((c) => (
              <span key={c.choiceId}>
                {choiceLabel(
                  t,
                  open.choices.find((x) => x.id === c.choiceId)!,
                )}
                : <strong>{c.count}</strong>
              </span>
            ))}
          </div>
        )}
      </section>
    );
  }
  if (last?.result) {
    return (
      <section className="room-vote room-vote--result" data-testid="room-vote" data-status="closed">
        <div className="room-vote__kicker">{last.election ? t('elections.result.title') : t('votes.result.title')}</div>
        <VoteResult vote={last} result={last.result} large />
      </section>
    );
  }
  return null;
}

/** A side card: the speaker (with the timer) and who is next. */
export function RoomFloorCard({ state }: { state: MeetingState }) {
  const { t } = useTranslation();
  const { current, queue } = state.floor;
  if (!current && queue.length === 0) return null;
  return (
    <div className="room__card room-floor" data-testid="room-floor">
      <div className="room__label">{t('floor.speaking')}</div>
      {current ? (
        <div className="room-floor__now" data-testid="room-speaker">
          <Mic aria-hidden />
          <span className="room-floor__name">{current.name}</span>
          <span className="room-floor__kind">{t(`floor.kind.${current.kind}`)}</span>
          <SpeakerTimer current={current} />
        </div>
      ) : (
        <div className="muted">{t('floor.nobody')}</div>
      )}
      {queue.length > 0 && (
        <>
          <div className="room__label">{t('floor.next')}</div>
          <ol className="room-floor__queue" data-testid="room-next">
            {queue.slice(0, 4).map((r) => (
              <li key={r.requestId}>
                {r.name} <span className="muted">· {t(`floor.kind.${r.kind}`)}</span>
              </li>
            ))}
          </ol>
          {queue.length > 4 && <div className="muted">{t('floor.more', { n: queue.length - 4 })}</div>}
        </>
      )}
    </div>
  );
}

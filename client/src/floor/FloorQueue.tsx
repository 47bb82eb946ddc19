// The floor (phát biểu / chất vấn): who speaks (with the timer), who is next, and the queue. A
// member asks to speak or to question and may withdraw; the chair gives the floor (optionally
// timed), ends a turn and reorders the queue. The room screen shows the same, read-only and large.
import { useEffect, useState } from 'react';
import { ArrowDown, ArrowUp, Hand, MessageCircleQuestion, Mic, Square, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { floorSecondsLeft, type FloorSpeaker, type FloorState } from '../../../shared/floor';
import type { MeetingAbilities } from '../../../shared/api';

export interface FloorActions {
  request: (kind: 'speak' | 'question') => void;
  withdraw: (requestId: string) => void;
  grant: (requestId: string, seconds: number | null) => void;
  end: () => void;
  reorder: (requestIds: string[]) => void;
}

const TIMERS = [null, 120, 180, 300, 600] as const;

/** Ticks once a second while a timer runs. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}

const mmss = (s: number) => `${Math.floor(Math.abs(s) / 60)}:${String(Math.abs(s) % 60).padStart(2, '0')}`;

export function SpeakerTimer({ current }: { current: FloorSpeaker }) {
  const { t } = useTranslation();
  const now = useNow(current.seconds !== null);
  const left = floorSecondsLeft(current, now);
  if (left === null) return null;
  return (
    <span
      className={`floor-timer ${left < 0 ? 'floor-timer--over' : left <= 30 ? 'floor-timer--soon' : ''}`}
      data-testid="floor-timer"
      role="timer"
    >
      {left < 0 ? t('floor.overtime', { time: mmss(left) }) : mmss(left)}
    </span>
  );
}

export function FloorQueue(props: {
  floor: FloorState;
  me: string;
  /** from the server's policies: controlMeeting (gives the floor), requestFloor (asks for it) */
  abilities: Pick<MeetingAbilities, 'controlMeeting' | 'requestFloor'>;
  live: boolean;
  actions: FloorActions;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { floor, me } = props;
  const isChair = props.abilities.controlMeeting;
  // the chair gives the floor rather than asking for it
  const canAsk = props.abilities.requestFloor && !isChair;
  const [seconds, setSeconds] = useState<number | null>(180);
  const mine = floor.queue.find((r) => r.userId === me);
  const speaking = floor.current?.userId === me;
  const move = (i: number, d: -1 | 1) => {
    const ids = floor.queue.map((r) => r.requestId);
    const j = i + d;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    props.actions.reorder(ids);
  };

  return (
    <aside className="side-panel floor-panel" aria-labelledby="floor-title" data-testid="floor-panel">
      <div className="side-panel__head">
        <h2 id="floor-title">{t('floor.title')}</h2>
        <button
          type="button"
          className="icon-btn"
          onClick={props.onClose}
          aria-label={t('common.close')}
          title={t('common.close')}
        >
          <X aria-hidden />
        </button>
      </div>
      <div className="floor-panel__body">
        <section className="floor-now" data-testid="floor-current">
          <div className="floor-now__label">{t('floor.speaking')}</div>
          {floor.current ? (
            <div className="floor-now__who">
              <Mic aria-hidden />
              <span className="floor-now__name">{floor.current.name}</span>
              <span className="tag">{t(`floor.kind.${floor.current.kind}`)}</span>
              <SpeakerTimer current={floor.current} />
            </div>
          ) : (
            <div className="muted">{t('floor.nobody')}</div>
          )}
          {floor.current && (isChair || speaking) && (
            <button type="button" className="btn btn--secondary" onClick={props.actions.end} data-testid="floor-end">
              <Square aria-hidden size={18} />
              {speaking && !isChair ? t('floor.yield') : t('floor.end')}
            </button>
          )}
        </section>

        {canAsk && props.live && !speaking && (
          <div className="floor-ask">
            {mine ? (
              <button
                type="button"
                className="btn btn--secondary btn--block"
                onClick={() => props.actions.withdraw(mine.requestId)}
                data-testid="floor-withdraw"
              >
                {t('floor.withdraw')}
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn--primary"
                  onClick={() => props.actions.request('speak')}
                  data-testid="floor-request-speak"
                >
                  <Hand aria-hidden />
                  {t('floor.request')}
                </button>
                <button
                  type="button"
                  className="btn btn--secondary"
                  onClick={() => props.actions.request('question')}
                  data-testid="floor-request-question"
                >
                  <MessageCircleQuestion aria-hidden />
                  {t('floor.question')}
                </button>
              </>
            )}
          </div>
        )}

        {isChair && (
          <label className="field floor-timer-pick">
            <span>{t('floor.timer')}</span>
            <select value={seconds ?? ''} onChange={(e) => setSeconds(e.target.value ? Number(e.target.value) : null)}>
              {TIMERS.map((s) => (
                <option key={s ?? 'none'} value={s ?? ''}>
                  {s === null ? t('floor.noTimer') : t('floor.minutes', { n: s / 60 })}
                </option>
              ))}
            </select>
          </label>
        )}

        <h3 className="floor-queue__title">
          {t('floor.queue')} ({floor.queue.length})
        </h3>
        {floor.queue.length === 0 ? (
          <p className="muted">{t('floor.empty')}</p>
        ) : (
          <ol className="floor-queue" data-testid="floor-queue">
            {floor.queue.map((r, i) => (
              <li
                key={r.requestId}
                className={`floor-queue__item ${r.userId === me ? 'floor-queue__item--me' : ''}`}
                data-user={r.userId}
              >
                <span className="floor-queue__pos">{i + 1}</span>
                <span className="floor-queue__name">
                  {r.name}
                  {r.userId === me ? ` (${t('floor.you')})` : ''}
                </span>
                <span className={`tag ${r.kind === 'question' ? 'tag--question' : ''}`}>{t(`floor.kind.${r.kind}`)}</span>
                {isChair && (
                  <span className="floor-queue__actions">
                    <button
                      type="button"
                      className="icon-btn"
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                      aria-label={t('floor.up')}
                      title={t('floor.up')}
                    >
                      <ArrowUp aria-hidden />
                    </button>
                    <button
                      type="button"
                      className="icon-btn"
                      disabled={i === floor.queue.length - 1}
                      onClick={() => move(i, 1)}
                      aria-label={t('floor.down')}
                      title={t('floor.down')}
                    >
                      <ArrowDown aria-hidden />
                    </button>
                    <button
                      type="button"
                      className="icon-btn"
                      onClick={() => props.actions.withdraw(r.requestId)}
                      aria-label={t('floor.remove')}
                      title={t('floor.remove')}
                    >
                      <X aria-hidden />
                    </button>
                    <button
                      type="button"
                      className="btn btn--primary btn--compact"
                      onClick={() => props.actions.grant(r.requestId, seconds)}
                      data-testid="floor-grant"
                    >
                      {t('floor.grant')}
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}

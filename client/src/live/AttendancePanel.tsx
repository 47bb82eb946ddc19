// Who is invited, who is online (and following or browsing), and who is present. Officers mark
// attendance here; the chair also hands presenting over. Quorum sits on top for everyone.
import { useState } from 'react';
import { Presentation, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api';
import type { AttendanceStatus, PresenceUser } from '../../../shared/events';
import type { MeetingState } from '../../../shared/meeting-state';
import { VOTING_ROLES, type MeetingRole } from '../../../shared/roles';
import { QuorumBadge } from './QuorumBadge';

export interface AttendanceActions {
  mark: (userId: string, status: AttendanceStatus, reason?: string) => void;
  setPresenter: (userId: string | null) => void;
}

export function AttendancePanel(props: {
  state: MeetingState;
  members: Member[];
  presence: ReadonlyMap<string, PresenceUser>;
  canMark: boolean;
  canHandOver: boolean;
  actions: AttendanceActions;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { state, presence } = props;
  const [reasonFor, setReasonFor] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const online = props.members.filter((m) => presence.get(m.userId)?.online).length;
  const live = state.status === 'running' || state.status === 'paused';

  return (
    <aside className="side-panel" aria-labelledby="attendance-title" data-testid="attendance-panel">
      <div className="side-panel__head">
        <h2 id="attendance-title">{t('live.attendance.title')}</h2>
        <button
          type="button"
          className="icon-btn"
          onClick={props.onClose}
          aria-label={t('live.attendance.close')}
          title={t('live.attendance.close')}
        >
          <X aria-hidden />
        </button>
      </div>
      <div className="side-panel__summary">
        <QuorumBadge state={state} explain />
        <span className="muted">{t('live.attendance.onlineCount', { online, total: props.members.length })}</span>
      </div>
      <ul className="people">
        {props.members.map((m) => {
          const p = presence.get(m.userId);
          const a = state.attendance[m.userId];
          const isPresenter = state.presenterId === m.userId;
          const status: AttendanceStatus | 'unmarked' = a?.status ?? 'unmarked';
          return (
            <li
              key={m.userId}
              className="person"
              data-user={m.username}
              data-attendance={status}
              data-online={p?.online ? 'true' : 'false'}
            >
              <div className="person__main">
                <span
                  className={`presence-dot ${p?.online ? 'presence-dot--on' : ''}`}
                  title={p?.online ? t('live.attendance.online') : t('live.attendance.offline')}
                  aria-hidden
                />
                <div className="person__text">
                  <div className="person__name">
                    {m.fullName}
                    {isPresenter && (
                      <span className="tag tag--presenter">
                        <Presentation aria-hidden size={14} />
                        {t('live.follow.presenterTag')}
                      </span>
                    )}
                  </div>
                  <div className="person__meta">
                    {t(`roles.${m.role}`)}
                    {!(VOTING_ROLES as readonly MeetingRole[]).includes(m.role) && ` · ${t('live.attendance.noVote')}`}
                    {' · '}
                    {p?.online
                      ? p.following
                        ? t('live.attendance.following')
                        : t('live.attendance.browsingPage', { page: p.page ?? '–' })
                      : t('live.attendance.offline')}
                  </div>
                  {a?.reason && (
                    <div className="person__reason">
                      {t('live.attendance.reason')}: {a.reason}
                    </div>
                  )}
                </div>
                <span className={`att att--${status}`} data-testid="attendance-status">
                  {t(`live.attendance.${status}`)}
                  {a && a.via !== 'mark' ? ` (${a.via === 'qr' ? t('live.attendance.viaQr') : t('live.attendance.viaApp')})` : ''}
                </span>
              </div>
              {(props.canMark || (props.canHandOver && live && m.role !== 'observer')) && (
                <div className="person__actions">
                  {props.canMark && (
                    <>
                      <button
                        type="button"
                        className="chip"
                        aria-pressed={status === 'present'}
                        onClick={() => props.actions.mark(m.userId, 'present')}
                        data-testid="mark-present"
                      >
                        {t('live.attendance.present')}
                      </button>
                      <button
                        type="button"
                        className="chip"
                        aria-pressed={status === 'late'}
                        onClick={() => props.actions.mark(m.userId, 'late')}
                        data-testid="mark-late"
                      >
                        {t('live.attendance.late')}
                      </button>
                      <button
                        type="button"
                        className="chip"
                        aria-pressed={status === 'absent'}
                        onClick={() => props.actions.mark(m.userId, 'absent')}
                        data-testid="mark-absent"
                      >
                        {t('live.attendance.absent')}
                      </button>
                      <button
                        type="button"
                        className="chip"
                        aria-pressed={status === 'excused'}
                        aria-expanded={reasonFor === m.userId}
                        onClick={() => {
                          setReasonFor(reasonFor === m.userId ? null : m.userId);
                          setReason(a?.reason ?? '');
                        }}
                        data-testid="mark-excused"
                      >
                        {t('live.attendance.excused')}
                      </button>
                    </>
                  )}
                  {props.canHandOver && live && m.role !== 'observer' && m.role !== 'chair' && (
                    <button
                      type="button"
                      className="chip chip--accent"
                      onClick={() => props.actions.setPresenter(isPresenter ? null : m.userId)}
                      data-testid={isPresenter ? 'take-back' : 'hand-over'}
                    >
                      <Presentation aria-hidden size={16} />
                      {isPresenter ? t('live.control.takeBack') : t('live.control.handOver')}
                    </button>
                  )}
                </div>
              )}
              {props.canMark && reasonFor === m.userId && (
                <form
                  className="person__reason-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (!reason.trim()) return;
                    props.actions.mark(m.userId, 'excused', reason.trim());
                    setReasonFor(null);
                  }}
                >
                  <label className="field">
                    <span className="field__label">{t('live.attendance.reason')}</span>
                    <input
                      value={reason}
                      maxLength={500}
                      onChange={(e) => setReason(e.target.value)}
                      placeholder={t('live.attendance.reasonPlaceholder')}
                      autoFocus
                      data-testid="reason-input"
                    />
                  </label>
                  <button type="submit" className="btn btn--primary" disabled={!reason.trim()} data-testid="save-reason">
                    {t('live.attendance.saveReason')}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}

// The live strip under the header: meeting status and current item, where the chair is (with
// "return to the chair's page" while browsing), quorum, check-in, and the chair's controls.
import { CirclePlay, Eye, LocateFixed, MonitorUp, Presentation, UserCheck, Users } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { MeetingState } from '../../../shared/meeting-state';
import { StatusBadge } from '../components/Badges';
import { QuorumBadge } from './QuorumBadge';

export function LiveBar(props: {
  state: MeetingState;
  stale: boolean;
  following: boolean;
  /** this user turns pages for everyone right now */
  presenting: boolean;
  chairDocumentTitle: string | null;
  /** the viewer shows exactly where the chair is */
  atChair: boolean;
  currentItemLabel: string | null;
  presenterName: string | null;
  isChair: boolean;
  isOfficer: boolean;
  checkIn: 'hidden' | 'available' | 'done';
  attendanceOpen: boolean;
  onFollow: () => void;
  onBrowse: () => void;
  onControl: (type: 'meeting.start') => void;
  onTakeBack: () => void;
  onCheckIn: () => void;
  onToggleAttendance: () => void;
  onRoomLink: () => void;
}) {
  const { t } = useTranslation();
  const { state } = props;
  const live = state.status === 'running' || state.status === 'paused';
  const chairDoc = state.follow.documentId;

  return (
    <div
      className={`live-bar ${props.stale ? 'live-bar--stale' : ''}`}
      data-testid="live-bar"
      data-meeting-status={state.status}
      title={props.stale ? t('live.staleHint') : undefined}
    >
      {/* outside the status group, which shrinks to nothing on narrow screens: the badge keeps its size */}
      <StatusBadge status={state.status} />
      <div className="live-bar__group live-bar__status">
        {props.currentItemLabel && (
          <span className="live-bar__item" title={props.currentItemLabel}>
            <span className="muted live-bar__wide">{t('live.control.currentItem')}:</span> {props.currentItemLabel}
          </span>
        )}
        {props.presenterName && (
          <span className="tag tag--presenter">
            <Presentation aria-hidden size={14} />
            {t('live.follow.presenter', { name: props.presenterName })}
            {props.isChair && live && (
              <button type="button" className="link-btn" onClick={props.onTakeBack} data-testid="take-back-bar">
                {t('live.control.takeBack')}
              </button>
            )}
          </span>
        )}
      </div>

      {live && (
        <div className="live-bar__group live-bar__follow" data-follow={props.following ? 'follow' : 'browse'}>
          {!chairDoc ? (
            <span className="muted live-bar__note" title={t('live.follow.chairNoDocument')}>
              {t('live.follow.chairNoDocument')}
            </span>
          ) : props.following ? (
            <>
              <span
                className="follow-state"
                data-testid="follow-state"
                title={props.presenting ? t('live.follow.presenting') : t('live.follow.following')}
              >
                <LocateFixed aria-hidden size={18} />
                <span className="live-bar__wide">
                  {props.presenting ? t('live.follow.presenting') : t('live.follow.following')}
                </span>
              </span>
              <button
                type="button"
                className="btn btn--secondary btn--compact"
                onClick={props.onBrowse}
                aria-label={t('live.follow.browse')}
                title={t('live.follow.browse')}
                data-testid="browse-freely"
              >
                <Eye aria-hidden size={18} />
                <span className="live-bar__wide">{t('live.follow.browse')}</span>
              </button>
            </>
          ) : (
            <div
              className="follow-badge"
              role="status"
              data-testid="follow-badge"
              data-chair-page={state.follow.page}
              data-chair-document={chairDoc}
            >
              <span className="follow-badge__text">
                <strong>{t('live.follow.chairAt', { page: state.follow.page })}</strong>
                {props.chairDocumentTitle && (
                  <span className="follow-badge__doc" title={props.chairDocumentTitle}>
                    {props.chairDocumentTitle}
                  </span>
                )}
              </span>
              <button
                type="button"
                className="btn btn--primary btn--compact"
                onClick={props.onFollow}
                data-testid="return-to-chair"
                data-at-chair={props.atChair ? 'true' : 'false'}
              >
                <LocateFixed aria-hidden size={18} />
                {t('live.follow.returnToChair')}
              </button>
            </div>
          )}
        </div>
      )}

      <div className="live-bar__group live-bar__end">
        <QuorumBadge state={state} compact />
        {props.checkIn === 'available' && (
          <button type="button" className="btn btn--primary btn--compact" onClick={props.onCheckIn} data-testid="check-in">
            <UserCheck aria-hidden size={18} />
            {t('live.attendance.checkIn')}
          </button>
        )}
        {props.checkIn === 'done' && (
          <span className="tag tag--ok" data-testid="checked-in">
            <UserCheck aria-hidden size={14} />
            {t('live.attendance.checkedIn')}
          </span>
        )}
        {props.isChair && state.status === 'scheduled' && (
          <button
            type="button"
            className="btn btn--primary btn--compact"
            onClick={() => props.onControl('meeting.start')}
            data-testid="meeting-start"
          >
            <CirclePlay aria-hidden size={18} />
            {t('live.control.start')}
          </button>
        )}
        {props.isOfficer && (
          <button
            type="button"
            className="icon-btn"
            onClick={props.onRoomLink}
            aria-label={t('live.control.roomScreen')}
            title={t('live.control.roomScreen')}
            data-testid="room-link"
          >
            <MonitorUp aria-hidden />
          </button>
        )}
        <button
          type="button"
          className="icon-btn"
          aria-pressed={props.attendanceOpen}
          onClick={props.onToggleAttendance}
          aria-label={props.attendanceOpen ? t('live.attendance.close') : t('live.attendance.open')}
          title={t('live.attendance.title')}
          data-testid="toggle-attendance"
        >
          <Users aria-hidden />
        </button>
      </div>
    </div>
  );
}

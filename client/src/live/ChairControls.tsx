// The chair's meeting control, at the top of the agenda: start, pause / resume, end, room screen.
import { CirclePause, CirclePlay, CircleStop, MonitorUp } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { MeetingStatus } from '../../../shared/roles';

export type ControlCommand = 'meeting.start' | 'meeting.pause' | 'meeting.resume' | 'meeting.end';

export function ChairControls(props: {
  status: MeetingStatus;
  onControl: (type: ControlCommand) => void;
  onRoomLink: () => void;
}) {
  const { t } = useTranslation();
  const { status } = props;
  if (status === 'ended') return null;
  return (
    <section className="chair-controls" aria-labelledby="chair-controls-title" data-testid="chair-controls">
      <h2 id="chair-controls-title" className="agenda__title">
        {t('live.control.title')}
      </h2>
      <div className="chair-controls__row">
        {status === 'scheduled' && (
          <button
            type="button"
            className="btn btn--primary btn--compact"
            onClick={() => props.onControl('meeting.start')}
            data-testid="meeting-start-side"
          >
            <CirclePlay aria-hidden size={18} />
            {t('live.control.start')}
          </button>
        )}
        {status === 'running' && (
          <button
            type="button"
            className="btn btn--secondary btn--compact"
            onClick={() => props.onControl('meeting.pause')}
            data-testid="meeting-pause"
          >
            <CirclePause aria-hidden size={18} />
            {t('live.control.pause')}
          </button>
        )}
        {status === 'paused' && (
          <button
            type="button"
            className="btn btn--primary btn--compact"
            onClick={() => props.onControl('meeting.resume')}
            data-testid="meeting-resume"
          >
            <CirclePlay aria-hidden size={18} />
            {t('live.control.resume')}
          </button>
        )}
        {(status === 'running' || status === 'paused') && (
          <button
            type="button"
            className="btn btn--danger btn--compact"
            onClick={() => {
              if (window.confirm(t('live.control.confirmEnd'))) props.onControl('meeting.end');
            }}
            data-testid="meeting-end"
          >
            <CircleStop aria-hidden size={18} />
            {t('live.control.end')}
          </button>
        )}
        <button type="button" className="btn btn--secondary btn--compact" onClick={props.onRoomLink} data-testid="room-link-side">
          <MonitorUp aria-hidden size={18} />
          {t('live.control.roomScreen')}
        </button>
      </div>
    </section>
  );
}

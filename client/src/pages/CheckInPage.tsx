// What the room screen's QR code opens: after sign-in (the session gate keeps this URL), the member
// is checked in with the short-lived token and sees the result, then goes on to the meeting.
import { useEffect, useRef, useState } from 'react';
import { CheckCircle2, AlertTriangle } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { AppHeader } from '../components/AppHeader';
import { Loading } from '../components/StatusView';
import { ConnectionPill } from '../live/ConnectionPill';
import { isLive } from '../live/follow';
import { useLiveMeeting } from '../live/useLive';
import { meetingHref, navigate } from '../router';

type Outcome = 'working' | 'done' | 'already' | 'notOpen' | 'expired' | 'invalid' | 'missing' | 'failed';

export function CheckInPage(props: { user: User; meetingId: string | null; token: string | null; onLogout: () => void }) {
  const { t } = useTranslation();
  const { meetingId, token } = props;
  const { store, live } = useLiveMeeting(meetingId ?? '-', { enabled: meetingId !== null && token !== null });
  const [outcome, setOutcome] = useState<Outcome>(meetingId && token ? 'working' : 'missing');
  const sent = useRef(false);
  const state = live?.state ?? null;

  useEffect(() => {
    if (!store || !state || !token || sent.current || live?.connection !== 'online') return;
    if (!isLive(state)) {
      setOutcome('notOpen');
      return;
    }
    const mine = state.attendance[props.user.id]?.status;
    if (mine === 'present' || mine === 'late') {
      setOutcome('already');
      return;
    }
    sent.current = true;
    void store.sendCommand('attendance.checkIn', { token }).then((ack) => {
      if (ack.ok) return setOutcome('done');
      switch (ack.error.code) {
        case 'TOKEN_EXPIRED':
          return setOutcome('expired');
        case 'INVALID':
          return setOutcome('invalid');
        case 'CONFLICT':
          return setOutcome(isLive(store.getSnapshot().state) ? 'already' : 'notOpen');
        default:
          return setOutcome('failed');
      }
    });
  }, [store, state, token, live?.connection, props.user.id]);

  const fatal = live?.fatal;
  const shown: Outcome = fatal ? (fatal.code === 'NOT_FOUND' ? 'invalid' : 'failed') : outcome;
  const good = shown === 'done' || shown === 'already';
  const text = shown === 'working' ? null : shown === 'failed' ? t('live.errors.generic') : t(`live.checkin.${shown}`);

  return (
    <div className="layout">
      <AppHeader
        user={props.user}
        title={<span className="brand">{t('app.name')}</span>}
        onLogout={props.onLogout}
        end={live && <ConnectionPill state={live.connection} />}
      />
      <main className="screen-center">
        <section className="checkin-card" data-testid="checkin-result" data-outcome={shown}>
          <h1>{t('live.checkin.title')}</h1>
          {shown === 'working' ? (
            <Loading label={t('live.checkin.working')} />
          ) : (
            <div
              className={`checkin-card__result ${good ? 'checkin-card__result--ok' : 'checkin-card__result--bad'}`}
              role={good ? 'status' : 'alert'}
            >
              {good ? <CheckCircle2 aria-hidden size={40} /> : <AlertTriangle aria-hidden size={40} />}
              <p>{text}</p>
            </div>
          )}
          {meetingId && (
            <button
              type="button"
              className="btn btn--primary btn--block"
              onClick={() => navigate(meetingHref(meetingId))}
              data-testid="go-to-meeting"
            >
              {t('live.checkin.goToMeeting')}
            </button>
          )}
        </section>
      </main>
    </div>
  );
}

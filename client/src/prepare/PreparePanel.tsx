// "Chuẩn bị": the organiser's side panel on the meeting page: agenda items, their PDFs and the members,
// each shown as the server's `abilities` allow. It keeps its own copy of the meeting detail, re-read
// after every change it makes and whenever the server says the meeting changed (`version`).
import { X } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingAbilities, MeetingDetail, User } from '../../../shared/api';
import { api } from '../api/endpoints';
import { isApiError } from '../api/http';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { AgendaEditor } from './AgendaEditor';
import { MembersEditor } from './MembersEditor';
import { MeetingDetailsForm } from './MeetingDetailsForm';
import './prepare.css';

/** Whether the page offers the Prepare panel: the server's answer, not a guess from roles. */
export function canPrepare(abilities: MeetingAbilities): boolean {
  return abilities.editAgenda || abilities.manageMembers || abilities.uploadDocument;
}

export function PreparePanel(props: {
  meetingId: string;
  user: User;
  onClose: (changed: boolean) => void;
  onUnauthenticated: () => void;
  /** moves when the server announces a change (live nudge): the panel re-reads the meeting */
  version: number;
}) {
  const { t } = useTranslation();
  const { meetingId, onUnauthenticated } = props;
  const [detail, setDetail] = useState<MeetingDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const changed = useRef(false);

  const refresh = useCallback(async () => {
    try {
      setDetail(await api.meeting(meetingId));
      setLoadError(null);
    } catch (e) {
      if (isApiError(e) && e.code === 'UNAUTHENTICATED') onUnauthenticated();
      else setLoadError(e);
    }
  }, [meetingId, onUnauthenticated]);

  useEffect(() => {
    void refresh();
  }, [refresh, props.version]);

  /** After a change: remember it for the page and re-read the meeting. */
  const afterChange = useCallback(async () => {
    changed.current = true;
    await refresh();
  }, [refresh]);

  return (
    <section className="side-panel side-panel--wide prep" aria-labelledby="prep-title" data-testid="prepare-panel">
      <div className="side-panel__head">
        <h2 id="prep-title">{t('prepare.panelTitle')}</h2>
        <button
          type="button"
          className="icon-btn"
          aria-label={t('prepare.close')}
          title={t('prepare.close')}
          onClick={() => props.onClose(changed.current)}
          data-testid="close-prepare"
        >
          <X aria-hidden />
        </button>
      </div>
      <div className="prep__body">
        {!detail && !loadError && <Loading />}
        {!detail && loadError !== null && (
          <ErrorPanel
            message={errorMessage(t, loadError)}
            onRetry={() => {
              void refresh();
            }}
          />
        )}
        {detail && (
          <>
            {detail.abilities.update && (
              <MeetingDetailsForm key={`${detail.meeting.id}`} meeting={detail.meeting} afterChange={afterChange} />
            )}
            {detail.abilities.editAgenda && <AgendaEditor detail={detail} afterChange={afterChange} />}
            {detail.abilities.manageMembers && <MembersEditor detail={detail} me={props.user} afterChange={afterChange} />}
          </>
        )}
      </div>
    </section>
  );
}

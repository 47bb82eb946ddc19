// The giấy mời panel: officers issue the invitation (or a change notice once time, place or title
// changed), see every member's reply as it arrives (the panel re-reads on each new event of the
// log), approve substitutes, and see the expected attendance and quorum; every member replies
// (attending / absent with a reason / a substitute / delegating the vote) and downloads the PDF and
// the .ics. The server decides everything; this panel only asks.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api';
import type { InvitationOverview } from '../../../shared/invitations-api';
import type { CommandPayloads, CommandType } from '../../../shared/events';
import { INVITATION_NUMBER_PATTERN } from '../../../shared/invitations-api';
import { VOTING_ROLES, type MeetingRole } from '../../../shared/roles';
import { isApiError } from '../api/http';
import { errorMessage } from '../components/errors';
import type { LiveAck } from '../live/live-store';
import { invitationsApi } from './invitations-api';

type Choice = 'attending' | 'absent' | 'substitute' | 'proxy';
const KNOWN_ERRORS = new Set(['INVALID', 'INVITATION_UNCHANGED', 'INVITATION_NOT_ISSUED', 'CONFLICT']);

export function InvitationPanel(props: {
  meetingId: string;
  me: string;
  role: MeetingRole | null;
  /** abilities.approveSubstitute from the server's policies */
  mayApproveSubstitute: boolean;
  lastSeq: number;
  meetingStatus: string;
  members: Member[];
  send: <T extends CommandType>(type: T, payload: CommandPayloads[T]) => Promise<LiveAck | null>;
  say: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [data, setData] = useState<InvitationOverview | null>(null);
  const [busy, setBusy] = useState(false);
  const [number, setNumber] = useState('');
  const [parentAgency, setParentAgency] = useState('');
  const [contact, setContact] = useState('');
  const [choice, setChoice] = useState<Choice>('attending');
  const [reason, setReason] = useState('');
  const [substitute, setSubstitute] = useState('');
  const [proxyTo, setProxyTo] = useState('');

  const errorText = useCallback(
    (e: unknown) =>
      isApiError(e) && KNOWN_ERRORS.has(e.code)
        ? t(`invitations.errors.${e.code}` as 'invitations.errors.INVALID')
        : errorMessage(t, e),
    [t],
  );
  const { meetingId, say } = props;
  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setData(await invitationsApi.overview(meetingId, signal));
      } catch (e) {
        if (!signal?.aborted) say(errorText(e));
      }
    },
    [meetingId, say, errorText],
  );
  // replies arrive as events of the log: re-read on each (the server projects what this person may see)
  useEffect(() => {
    const ctl = new AbortController();
    const timer = setTimeout(() => void reload(ctl.signal), 150);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [reload, props.lastSeq]);

  const latest = data?.versions[0];
  const issue = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const v = await invitationsApi.issue(props.meetingId, {
        number: number.trim() || latest?.number || '',
        ...(parentAgency.trim() ? { parentAgency: parentAgency.trim() } : {}),
        ...(contact.trim() ? { contact: contact.trim() } : {}),
      });
      props.say(t('invitations.issued', { number: v.number }));
      await reload();
    } catch (err) {
      props.say(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const reply = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const ack =
        choice === 'proxy'
          ? await props.send('proxy.grant', { toUserId: proxyTo })
          : await props.send(
              'invitation.reply',
              choice === 'attending'
                ? { status: 'attending' }
                : choice === 'absent'
                  ? { status: 'absent', reason: reason.trim() }
                  : {
                      status: 'substitute',
                      substituteUsername: substitute.trim(),
                      ...(reason.trim() ? { reason: reason.trim() } : {}),
                    },
            );
      if (ack?.ok) {
        props.say(t('invitations.sent'));
        await reload();
      }
    } finally {
      setBusy(false);
    }
  };

  const statusText = (s: string | null) => t(`invitations.status.${s ?? 'none'}` as 'invitations.status.none');
  const mine = data?.replies.find((r) => r.userId === props.me);
  const isVoter = props.role !== null && VOTING_ROLES.includes(props.role);
  const open = props.meetingStatus === 'scheduled';
  const changes = (list: readonly string[]) =>
    list.map((c) => t(`invitations.change.${c}` as 'invitations.change.location')).join(', ');

  return (
    <aside className="side-panel side-panel--wide invitation" aria-labelledby="invitation-title" data-testid="invitation-panel">
      <div className="side-panel__head">
        <h2 id="invitation-title">{t('invitations.title')}</h2>
        <button
          type="button"
          className="icon-btn"
          onClick={props.onClose}
          aria-label={t('invitations.close')}
          title={t('invitations.close')}
        >
          <X aria-hidden />
        </button>
      </div>
      <div className="invitation__body">
        {data && data.versions.length === 0 && <p className="muted">{t('invitations.none')}</p>}
        {data && data.versions.length > 0 && (
          <section>
            <h3>{t('invitations.versions')}</h3>
            <ul className="invitation__versions">
              {data.versions.map((v) => (
                <li key={v.version} data-testid="invitation-version">
                  <span>
                    {t('invitations.version', { n: v.version, number: v.number })}
                    {v.changes.length ? ` (${changes(v.changes)})` : ''}
                  </span>
                  <a
                    className="btn btn--secondary btn--compact"
                    href={invitationsApi.pdfUrl(props.meetingId, v.version)}
                    target="_blank"
                    rel="noreferrer"
                  >
                    {t('invitations.pdf')}
                  </a>
                </li>
              ))}
            </ul>
            <a className="btn btn--secondary btn--compact" href={invitationsApi.icsUrl(props.meetingId)} download>
              {t('invitations.ics')}
            </a>
          </section>
        )}

        {data?.canIssue && (
          <form className="invitation__form" onSubmit={(e) => void issue(e)} data-testid="invitation-issue-form">
            {data.changedSinceIssue.length > 0 && (
              <p role="status" className="invitation__notice">
                {t('invitations.changedSince', { what: changes(data.changedSinceIssue) })}
              </p>
            )}
            <label>
              {t('invitations.number')}
              <input
                value={number}
                onChange={(e) => setNumber(e.target.value)}
                placeholder={latest?.number ?? '15/GM-UBND'}
                pattern={INVITATION_NUMBER_PATTERN}
                required={!latest}
                maxLength={50}
                data-testid="invitation-number"
              />
            </label>
            {!latest && (
              <>
                <label>
                  {t('invitations.parentAgency')}
                  <input value={parentAgency} onChange={(e) => setParentAgency(e.target.value)} maxLength={200} />
                </label>
                <label>
                  {t('invitations.contact')}
                  <input value={contact} onChange={(e) => setContact(e.target.value)} maxLength={500} />
                </label>
              </>
            )}
            <button
              type="submit"
              className="btn btn--primary"
              disabled={busy || (!!latest && data.changedSinceIssue.length === 0)}
              data-testid="invitation-issue"
            >
              {busy ? t('invitations.issuing') : latest ? t('invitations.issueChange') : t('invitations.issue')}
            </button>
          </form>
        )}

        {data && latest && props.role !== null && (
          <section>
            <h3>{t('invitations.reply')}</h3>
            <p data-testid="my-reply">{t('invitations.myReply', { status: statusText(mine?.status ?? null) })}</p>
            {open ? (
              <form className="invitation__form" onSubmit={(e) => void reply(e)} data-testid="invitation-reply-form">
                <fieldset>
                  <legend className="sr-only">{t('invitations.reply')}</legend>
                  {(['attending', 'absent', 'substitute', ...(isVoter ? ['proxy' as const] : [])] as Choice[]).map((c) => (
                    <label key={c} className="invitation__choice">
                      <input
                        type="radio"
                        name="reply"
                        value={c}
                        checked={choice === c}
                        onChange={() => setChoice(c)}
                        data-testid={`reply-${c}`}
                      />{' '}
                      {statusText(c)}
                    </label>
                  ))}
                </fieldset>
                {(choice === 'absent' || choice === 'substitute') && (
                  <label>
                    {t('invitations.reason')}
                    <input
                      value={reason}
                      onChange={(e) => setReason(e.target.value)}
                      required={choice === 'absent'}
                      maxLength={500}
                      data-testid="reply-reason"
                    />
                  </label>
                )}
                {choice === 'substitute' && (
                  <label>
                    {t('invitations.substituteUsername')}
                    <input
                      value={substitute}
                      onChange={(e) => setSubstitute(e.target.value)}
                      required
                      maxLength={64}
                      data-testid="reply-substitute"
                    />
                  </label>
                )}
                {choice === 'proxy' && (
                  <label>
                    {t('invitations.proxyTo')}
                    <select value={proxyTo} onChange={(e) => setProxyTo(e.target.value)} required data-testid="reply-proxy">
                      <option value="" />
                      {props.members
                        .filter((m) => m.userId !== props.me && VOTING_ROLES.includes(m.role))
                        .map((m) => (
                          <option key={m.userId} value={m.userId}>
                            {m.fullName}
                          </option>
                        ))}
                    </select>
                  </label>
                )}
                <button type="submit" className="btn btn--primary" disabled={busy} data-testid="reply-send">
                  {t('invitations.send')}
                </button>
              </form>
            ) : (
              <p className="muted">{t('invitations.closed')}</p>
            )}
          </section>
        )}

        {data?.expected && (
          <section data-testid="invitation-replies">
            <h3>{t('invitations.replies')}</h3>
            <p data-testid="expected-attendance">{t('invitations.expected', data.expected)}</p>
            <p className={`badge ${data.expected.quorum.reached ? 'badge--ok' : 'badge--warn'}`} data-testid="expected-quorum">
              {t(
                data.expected.quorum.reached ? 'invitations.quorumExpected' : 'invitations.quorumNotExpected',
                data.expected.quorum,
              )}
            </p>
            <ul className="invitation__replies">
              {data.replies.map((r) => (
                <li key={r.userId} data-testid="reply-row" data-user={r.userId} data-status={r.status ?? 'none'}>
                  <strong>{r.fullName}</strong>: {statusText(r.status)}
                  {r.reason && (
                    <>
                      {' '}
                      — <span data-testid="reply-row-reason">{r.reason}</span>
                    </>
                  )}
                  {r.substituteName && (
                    <>
                      {' '}
                      · {t('invitations.substituteFor', { name: r.substituteName })}
                      {r.substituteApproved ? ` (${t('invitations.approved')})` : ''}
                    </>
                  )}
                  {r.proxyToName && <> · {t('invitations.proxyHolder', { name: r.proxyToName })}</>}
                  {r.status === 'substitute' && !r.substituteApproved && open && props.mayApproveSubstitute && (
                    <>
                      <button
                        type="button"
                        className="btn btn--secondary btn--compact"
                        disabled={busy}
                        data-testid="approve-substitute"
                        onClick={() => {
                          void props.send('invitation.approveSubstitute', { memberId: r.userId }).then(() => reload());
                        }}
                      >
                        {t('invitations.approve')}
                      </button>
                      <button
                        type="button"
                        className="btn btn--secondary btn--compact"
                        disabled={busy}
                        data-testid="refuse-substitute"
                        onClick={() => {
                          void props.send('invitation.refuseSubstitute', { memberId: r.userId }).then(() => reload());
                        }}
                      >
                        {t('invitations.refuse')}
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </aside>
  );
}

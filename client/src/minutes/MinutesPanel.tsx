// The minutes beside the document: the secretary writes (autosaved, conflict-safe), the chair may
// write conclusions, everyone else reads the draft live. Auto-filled parts (time, attendance,
// speakers, votes) come from the server, rebuilt from the log whenever the log moves. After the
// meeting: preview, finalise, sign (secretary, then chair), download, verify, correct.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { formatSignedAt, formatVnDateTime } from '../../../shared/minutes';
import { currentLanguage } from '../i18n';
import { MINUTES_HEADER_MAX, fieldText, fieldVersion, type MinutesDraftState } from '../../../shared/minutes-draft';
import type { MinutesDraft, MinutesVerification } from '../../../shared/minutes-api';
import { isApiError } from '../api/http';
import { useMinutesAnnouncer } from './use-minutes-announcer';
import { minutesApi } from './minutes-api';
import { MinutesField, type SaveMinutes } from './MinutesField';
import { ExternalSigning } from './ExternalSigning';
import type { Member } from '../../../shared/api';
import type { Task } from '../../../shared/tasks-api';
import { ConclusionTasks } from '../tasks/ConclusionTasks';
import { tasksApi } from '../tasks/tasks-api';

const REFRESH_MS = 400;

export function MinutesPanel(props: {
  meetingId: string;
  /** the live minutes (meeting state) and the log head: texts show at once, the rest refreshes */
  minutes: MinutesDraftState | null;
  lastSeq: number;
  agendaTitles: Record<string, string>;
  save: SaveMinutes;
  onClose: () => void;
  say: (text: string) => void;
  /** the signed-in user: their own edits are not announced to them */
  me: string;
  /** for the tasks under each conclusion: who may be put in charge, and whether the caller assigns (abilities.update) */
  members: Member[];
  canAssignTasks: boolean;
  /** a field to bring into view once the draft is shown (a search hit's minutes key) */
  focusKey?: string | null;
}) {
  const { t, i18n } = useTranslation();
  // the minutes are a Vietnamese document whatever the UI language: text filled in from the meeting is
  // shown in Vietnamese, as it will print (the English UI says so once, above it)
  const tv = useMemo(() => i18n.getFixedT('vi'), [i18n]);
  const lang = currentLanguage();
  const { meetingId, minutes } = props;
  useMinutesAnnouncer(minutes, props.me);
  const [draft, setDraft] = useState<MinutesDraft | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [verification, setVerification] = useState<MinutesVerification | null>(null);
  const [hasImage, setHasImage] = useState<boolean | null>(null);
  const [external, setExternal] = useState(false);
  const [tasks, setTasks] = useState<Task[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  const errorText = useCallback(
    (e: unknown) => {
      const code = isApiError(e) ? e.code : 'generic';
      const known = t(`minutes.errors.${code}` as 'minutes.errors.generic', { defaultValue: '' });
      return known || t('minutes.errors.generic');
    },
    [t],
  );

  const reload = useCallback(
    (signal?: AbortSignal) =>
      minutesApi.draft(meetingId, signal).then(setDraft, (e: unknown) => {
        if (!(e instanceof DOMException && e.name === 'AbortError')) props.say(errorText(e));
      }),
    [meetingId, errorText, props],
  );

  // refresh the auto-filled parts when the log moves (debounced: a burst of edits is one fetch)
  useEffect(() => {
    const ctl = new AbortController();
    const timer = setTimeout(() => void reload(ctl.signal), draft ? REFRESH_MS : 0);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.lastSeq, meetingId]);

  // a search hit opens the minutes at its field: scrolled to and focused once, when the draft is shown
  const focused = useRef<string | null>(null);
  useEffect(() => {
    const key = props.focusKey;
    if (!key || !draft || focused.current === key) return;
    const el = document.querySelector<HTMLElement>(`[data-minutes-key="${CSS.escape(key)}"]`);
    if (!el) return;
    focused.current = key;
    el.scrollIntoView({ block: 'center' });
    (el.querySelector<HTMLElement>('textarea, input') ?? el).focus({ preventScroll: true });
    el.classList.add('minutes-field--found');
  }, [props.focusKey, draft]);

  // the tasks made of the conclusions (not on the meeting's log: fetched on opening and after a change here)
  const reloadTasks = useCallback(
    (signal?: AbortSignal) => tasksApi.forMeeting(meetingId, signal).then(setTasks, () => undefined),
    [meetingId],
  );
  useEffect(() => {
    const ctl = new AbortController();
    void reloadTasks(ctl.signal);
    return () => ctl.abort();
  }, [reloadTasks]);

  useEffect(() => {
    const ctl = new AbortController();
    void minutesApi.hasSignatureImage(ctl.signal).then(setHasImage);
    return () => ctl.abort();
  }, []);

  const act = async (name: string, f: () => Promise<string>) => {
    setBusy(name);
    try {
      props.say(await f());
      await reload();
    } catch (e) {
      props.say(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const status = minutes?.status ?? draft?.status ?? 'draft';
  const can = draft?.can;
  const doc = draft?.document;
  const fieldProps = (key: string) => ({
    text: minutes ? fieldText(minutes, key) : (draft?.fields[key]?.text ?? ''),
    version: minutes ? fieldVersion(minutes, key) : (draft?.fields[key]?.version ?? 0),
  });
  const editAll = Boolean(can?.edit);
  const editConclusions = Boolean(can?.editConclusions);
  const role = editAll ? 'secretary' : editConclusions ? 'chair' : 'reader';
  const latest = draft?.versions[0];
  const tasksOf = (key: string, testId: string) => (
    <ConclusionTasks
      meetingId={meetingId}
      conclusionKey={key}
      hasConclusion={fieldProps(key).text.trim() !== ''}
      tasks={tasks.filter((x) => x.conclusionKey === key)}
      members={props.members}
      canAssign={props.canAssignTasks}
      onChanged={() => void reloadTasks()}
      say={props.say}
      testId={testId}
    />
  );

  return (
    <aside
      className="side-panel side-panel--wide minutes"
      aria-labelledby="minutes-title"
      data-testid="minutes-panel"
      data-status={status}
    >
      <div className="side-panel__head">
        <h2 id="minutes-title">{t('minutes.title')}</h2>
        <button
          type="button"
          className="icon-btn"
          onClick={props.onClose}
          aria-label={t('minutes.close')}
          title={t('minutes.close')}
        >
          <X aria-hidden />
        </button>
      </div>
      <div className="side-panel__summary minutes__status">
        <span className={`badge minutes__badge minutes__badge--${status}`} data-testid="minutes-status">
          {t(`minutes.status.${status}`)}
        </span>
        <span className="muted">{t('minutes.version', { n: minutes?.version ?? draft?.version ?? 1 })}</span>
        {role === 'reader' && status === 'draft' && <span className="muted">{t('minutes.readOnlyHint')}</span>}
      </div>
      <div className="minutes__body">
        {status !== 'draft' && <p className="minutes__hint">{t('minutes.finalizedHint')}</p>}
        <div className="minutes__actions">
          {can?.preview && (
            <a
              className="btn btn--secondary btn--compact"
              href={minutesApi.previewUrl(meetingId)}
              target="_blank"
              rel="noreferrer"
              data-testid="minutes-preview"
            >
              {t('minutes.actions.preview')}
            </a>
          )}
          {editAll && draft?.meetingStatus !== 'ended' && <span className="muted">{t('minutes.waitEnd')}</span>}
          {can?.finalize && (
            <button
              type="button"
              className="btn btn--primary btn--compact"
              disabled={busy !== null}
              data-testid="minutes-finalize"
              onClick={() => {
                if (window.confirm(t('minutes.actions.finalizeConfirm')))
                  void act('finalize', async () => {
                    await minutesApi.finalize(meetingId);
                    return t('minutes.done.finalized');
                  });
              }}
            >
              {t('minutes.actions.finalize')}
            </button>
          )}
          {can?.sign && (
            <button
              type="button"
              className="btn btn--primary btn--compact"
              disabled={busy !== null}
              data-testid="minutes-sign"
              onClick={() =>
                void act('sign', async () => {
                  await minutesApi.sign(meetingId);
                  return t('minutes.done.signed');
                })
              }
            >
              {busy === 'sign'
                ? '…'
                : status === 'final'
                  ? t('minutes.actions.signAsSecretary')
                  : t('minutes.actions.signAsChair')}
            </button>
          )}
          {can?.sign && !external && (
            <button
              type="button"
              className="btn btn--secondary btn--compact"
              disabled={busy !== null}
              data-testid="minutes-sign-external"
              onClick={() => setExternal(true)}
            >
              {t('minutes.external.open')}
            </button>
          )}
          {latest && (
            <a
              className="btn btn--secondary btn--compact"
              href={minutesApi.pdfUrl(meetingId)}
              download
              data-testid="minutes-download"
            >
              {t('minutes.actions.download')}
            </a>
          )}
          {latest && (
            <button
              type="button"
              className="btn btn--secondary btn--compact"
              disabled={busy !== null}
              data-testid="minutes-verify"
              onClick={() =>
                void act('verify', async () => {
                  const v = await minutesApi.verify(meetingId);
                  setVerification(v);
                  return v.intact ? t('minutes.verification.intact') : t('minutes.verification.broken');
                })
              }
            >
              {t('minutes.actions.verify')}
            </button>
          )}
          {can?.revise && (
            <button
              type="button"
              className="btn btn--secondary btn--compact"
              disabled={busy !== null}
              data-testid="minutes-revise"
              onClick={() => {
                if (window.confirm(t('minutes.actions.reviseConfirm')))
                  void act('revise', async () => {
                    const r = await minutesApi.revise(meetingId);
                    return t('minutes.done.revised', { n: r.version });
                  });
              }}
            >
              {t('minutes.actions.revise')}
            </button>
          )}
          {(role === 'secretary' || role === 'chair') && (
            <>
              <button
                type="button"
                className="btn btn--secondary btn--compact"
                onClick={() => fileInput.current?.click()}
                data-testid="minutes-signature-image"
              >
                {t('minutes.actions.signatureImage')}
                {hasImage ? ' ✓' : ''}
              </button>
              <input
                ref={fileInput}
                type="file"
                accept="image/png"
                hidden
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f)
                    void act('image', async () => {
                      await minutesApi.uploadSignatureImage(f);
                      setHasImage(true);
                      return t('minutes.actions.signatureImageDone');
                    });
                }}
              />
            </>
          )}
        </div>

        {external && (can?.sign || busy === null) && (
          <ExternalSigning
            meetingId={meetingId}
            errorText={errorText}
            say={props.say}
            onClose={() => setExternal(false)}
            onSigned={() => {
              void reload();
            }}
          />
        )}

        {verification && (
          <section
            className={`minutes__verification ${verification.intact ? 'is-ok' : 'is-bad'}`}
            data-testid="minutes-verification"
            aria-live="polite"
          >
            <h3>{t('minutes.verification.title')}</h3>
            <p>{verification.intact ? t('minutes.verification.intact') : t('minutes.verification.broken')}</p>
            <ul>
              {verification.signatures.map((s, i) => (
                <li key={i}>
                  {t('minutes.verification.signature', {
                    name: s.signerName,
                    time: s.signedAt ? formatSignedAt(s.signedAt, lang) : '—',
                  })}{' '}
                  — {s.valid ? t('minutes.verification.valid') : t('minutes.verification.invalid')}
                  {s.trust && (
                    <>
                      {' '}
                      · {s.trust.chainTrusted ? t('minutes.verification.trusted') : t('minutes.verification.untrusted')}
                      {s.trust.certificateValidAtSigningTime ? '' : ` · ${t('minutes.verification.certExpired')}`}
                    </>
                  )}
                  {s.certificate && <> · {t('minutes.verification.issuer', { issuer: s.certificate.issuer })}</>}
                  {s.timestamp && (
                    <>
                      {' '}
                      ·{' '}
                      {s.timestamp.valid
                        ? t('minutes.verification.timestamp', {
                            time: formatSignedAt(s.timestamp.time, lang),
                            tsa: s.timestamp.tsaName ?? '—',
                          })
                        : t('minutes.verification.timestampBad')}
                    </>
                  )}
                </li>
              ))}
            </ul>
            <p>{verification.matchesLog ? t('minutes.verification.matchesLog') : t('minutes.verification.notMatchesLog')}</p>
          </section>
        )}

        <section className="minutes__section">
          <h3>{t('minutes.header')}</h3>
          <div className="minutes__grid">
            {(['parentAgency', 'unitName', 'number', 'place', 'copies'] as const).map((f) => (
              <MinutesField
                key={f}
                label={t(`minutes.fields.${f}`)}
                field={f}
                {...fieldProps(f)}
                editable={editAll}
                save={props.save}
                maxLength={MINUTES_HEADER_MAX[f]}
                placeholder={
                  f === 'unitName'
                    ? doc?.organization.unitName
                    : f === 'number'
                      ? doc?.number
                      : f === 'place'
                        ? doc?.place
                        : undefined
                }
                testId={`minutes-${f}`}
              />
            ))}
          </div>
          <MinutesField
            label={t('minutes.fields.subject')}
            field="subject"
            {...fieldProps('subject')}
            editable={editAll}
            save={props.save}
            maxLength={MINUTES_HEADER_MAX.subject}
            placeholder={doc?.subject}
            testId="minutes-subject"
          />
        </section>

        {doc && (
          <section className="minutes__section minutes__auto">
            <h3>
              {t('minutes.timePlace')} <small className="muted">· {t('minutes.auto')}</small>
            </h3>
            {t('minutes.documentLanguage') && (
              <p className="minutes__hint" data-testid="minutes-language-note">
                {t('minutes.documentLanguage')}
              </p>
            )}
            <p lang="vi">
              {tv('minutes.startedAt', { time: formatVnDateTime(doc.startedAt) })}
              {draft?.meetingStatus === 'ended' ? ` · ${tv('minutes.endedAt', { time: formatVnDateTime(doc.endedAt) })}` : ''}
            </p>
            <p>{doc.location}</p>
            <h3>
              {t('minutes.attendance')} <small className="muted">· {t('minutes.auto')}</small>
            </h3>
            <p lang="vi" data-testid="minutes-present">
              {tv('minutes.presentCount', { present: doc.attendance.present.length, total: doc.attendance.membersTotal })}
              {doc.attendance.present.length ? `: ${doc.attendance.present.map((p) => p.fullName).join(', ')}` : ''}
            </p>
            <p lang="vi">
              {tv('minutes.absentList', {
                list:
                  doc.attendance.absent.map((a) => (a.reason ? `${a.fullName} (${a.reason})` : a.fullName)).join(', ') ||
                  tv('minutes.none'),
              })}
            </p>
            {doc.attendance.proxies.length > 0 && (
              <p lang="vi">
                {tv('minutes.proxiesList', { list: doc.attendance.proxies.map((p) => `${p.fromName} → ${p.toName}`).join(', ') })}
              </p>
            )}
            {doc.attendance.guests.length > 0 && (
              <p lang="vi">{tv('minutes.guestsList', { list: doc.attendance.guests.map((g) => g.fullName).join(', ') })}</p>
            )}
          </section>
        )}

        <section className="minutes__section">
          <h3>{t('minutes.agenda')}</h3>
          {draft?.outline.items.map((item, i) => {
            const auto = doc?.agendaItems[i];
            return (
              <div key={item.itemId} className="minutes__item" data-testid={`minutes-item-${i}`}>
                <h4>
                  {i + 1}. {auto?.title ?? props.agendaTitles[item.itemId]}
                </h4>
                {auto?.presenter && (
                  <p className="muted" lang="vi">
                    {tv('minutes.presenter', { name: auto.presenter })}
                  </p>
                )}
                <MinutesField
                  label={t('minutes.fields.discussion')}
                  field="discussion"
                  itemId={item.itemId}
                  {...fieldProps(`item:${item.itemId}:discussion`)}
                  editable={editAll}
                  multiline
                  save={props.save}
                  testId={`minutes-discussion-${i}`}
                />
                <div className="minutes__speakers">
                  <div className="minutes-field__label">
                    {t('minutes.speakers')} <small className="muted">· {t('minutes.auto')}</small>
                  </div>
                  {item.speakers.length === 0 && <p className="muted">{t('minutes.noSpeakers')}</p>}
                  {item.speakers.map((s) => (
                    <MinutesField
                      key={s.requestId}
                      label={`${s.fullName} (${tv(`minutes.${s.kind}`)})`}
                      field="speaker"
                      requestId={s.requestId}
                      {...fieldProps(`speaker:${s.requestId}`)}
                      editable={editAll}
                      multiline
                      save={props.save}
                    />
                  ))}
                </div>
                <MinutesField
                  label={t('minutes.fields.conclusion')}
                  field="conclusion"
                  itemId={item.itemId}
                  {...fieldProps(`item:${item.itemId}:conclusion`)}
                  editable={editConclusions}
                  multiline
                  save={props.save}
                  testId={`minutes-conclusion-${i}`}
                />
                {tasksOf(`item:${item.itemId}:conclusion`, `conclusion-tasks-${i}`)}
              </div>
            );
          })}
        </section>

        {doc && (
          <section className="minutes__section minutes__auto" data-testid="minutes-votes">
            <h3>
              {t('minutes.votes')} <small className="muted">· {t('minutes.auto')}</small>
            </h3>
            {doc.votes.length === 0 && <p className="muted">{t('minutes.noVotes')}</p>}
            {doc.votes.map((v, i) => (
              <div key={i} className="minutes__vote">
                <strong>
                  {i + 1}. {v.question}
                </strong>{' '}
                <span className="muted" lang="vi">
                  ({v.mode === 'secret' ? tv('minutes.voteSecret') : tv('minutes.voteNamed')})
                </span>
                <p lang="vi">
                  {v.choices.map((c) => `${c.label} ${c.count}/${v.base ?? v.eligible} (${c.percent})`).join('; ')} —{' '}
                  <strong>{v.passed ? tv('minutes.passed') : tv('minutes.failed')}</strong>
                </p>
              </div>
            ))}
          </section>
        )}

        <section className="minutes__section">
          <MinutesField
            label={t('minutes.fields.conclusions')}
            field="conclusions"
            {...fieldProps('conclusions')}
            editable={editConclusions}
            multiline
            save={props.save}
            testId="minutes-conclusions"
          />
          {tasksOf('conclusions', 'conclusion-tasks')}
        </section>
        {doc && (
          <p className="minutes__hash muted">
            {t('minutes.headHash', { hash: latest && status !== 'draft' ? latest.headHash : doc.eventLogHeadHash })}
          </p>
        )}
      </div>
    </aside>
  );
}

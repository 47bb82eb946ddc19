// A written-opinion request (lấy ý kiến bằng văn bản): a member asked answers each question with
// Đồng ý / Không đồng ý / Ý kiến khác (big toggles, touch and keyboard), saves, then confirms by
// signing; a change after signing needs a new signature. The office sees how many have signed and,
// once closed, everyone asked sees the summary and downloads the signed báo cáo tổng hợp ý kiến.
import { useCallback, useEffect, useState } from 'react';
import { Check, FileSignature, Save } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { formatPercent } from '../../../shared/format-percent';
import type { OpinionAnswer, OpinionChoice, OpinionRequestView } from '../../../shared/opinions';
import { request, isApiError } from '../api/http';
import { AppHeader } from '../components/AppHeader';
import { Loading } from '../components/StatusView';
import './opinions.css';

const CHOICES: readonly OpinionChoice[] = ['agree', 'disagree', 'other'];

export function OpinionPage(props: { user: User; requestId: string; onLogout: () => void }) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<OpinionRequestView | null>(null);
  const [draft, setDraft] = useState<Record<string, { choice?: OpinionChoice; text: string }>>({});
  const [busy, setBusy] = useState<'save' | 'sign' | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const url = `/api/opinions/${encodeURIComponent(props.requestId)}`;

  const load = useCallback(async () => {
    try {
      const v = await request<OpinionRequestView>('GET', url);
      setView(v);
      setDraft(
        Object.fromEntries(
          v.questions.map((q) => {
            const a = v.mine?.answers.find((x) => x.questionId === q.id);
            return [q.id, { ...(a ? { choice: a.choice } : {}), text: a?.text ?? '' }];
          }),
        ),
      );
    } catch (e) {
      setMessage({ kind: 'error', text: isApiError(e) ? t(`errors.${e.code}`, { defaultValue: e.message }) : String(e) });
    }
  }, [url, t]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!view) {
    return (
      <>
        <AppHeader user={props.user} title={<span className="brand">{t('app.name')}</span>} onLogout={props.onLogout} />
        <main className="screen-center">{message ? <p role="alert">{message.text}</p> : <Loading />}</main>
      </>
    );
  }
  const when = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'vi-VN', {
      timeZone: 'Asia/Ho_Chi_Minh',
      dateStyle: 'short',
      timeStyle: 'short',
    });
  const complete = view.questions.every((q) => {
    const d = draft[q.id];
    return d?.choice !== undefined && (d.choice !== 'other' || d.text.trim() !== '');
  });
  const saved = view.mine?.answers ?? [];
  const unsavedChanges = view.questions.some((q) => {
    const a = saved.find((x) => x.questionId === q.id);
    const d = draft[q.id];
    return a?.choice !== d?.choice || (a?.text ?? '') !== (d?.text.trim() ?? '');
  });
  const act = async (what: 'save' | 'sign') => {
    setBusy(what);
    setMessage(null);
    try {
      if (what === 'save') {
        const answers: OpinionAnswer[] = view.questions.map((q) => {
          const d = draft[q.id]!;
          return { questionId: q.id, choice: d.choice!, ...(d.text.trim() ? { text: d.text.trim() } : {}) };
        });
        setView(await request<OpinionRequestView>('PUT', `${url}/answers`, { answers }));
        setMessage({ kind: 'ok', text: t('opinions.saved') });
      } else {
        setView(await request<OpinionRequestView>('POST', `${url}/sign`));
        setMessage({ kind: 'ok', text: t('opinions.signedOk') });
      }
    } catch (e) {
      setMessage({ kind: 'error', text: isApiError(e) ? t(`errors.${e.code}`, { defaultValue: e.message }) : String(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <AppHeader user={props.user} title={<span className="brand">{t('app.name')}</span>} onLogout={props.onLogout} />
      <main className="opinion-page" data-testid="opinion-page" data-status={view.status}>
        <header className="opinion-page__head">
          <div className="opinion-page__kicker">{t('opinions.kicker')}</div>
          <h1>{view.title}</h1>
          <p className="muted">
            {t('opinions.deadline', { when: when(view.deadline) })} ·{' '}
            <span data-testid="opinion-status">{t(`opinions.status.${view.status}`)}</span>
            {' · '}
            {t('opinions.answered', { n: view.answeredCount, of: view.asked.length })}
            {view.named && (
              <>
                {' · '}
                <strong data-testid="opinion-named-badge">{t('opinions.namedBadge')}</strong>
              </>
            )}
          </p>
          {view.summary && <p className="opinion-page__summary">{view.summary}</p>}
          {view.documents.length > 0 && (
            <ul className="opinion-page__docs">
              {view.documents.map((d) => (
                <li key={d.id}>
                  <a href={`/meetings/${view.meetingId}?doc=${d.id}`}>{d.title}</a>
                </li>
              ))}
            </ul>
          )}
        </header>

        {view.mine && view.status === 'open' && (
          <form
            className="opinion-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act('save');
            }}
          >
            {view.questions.map((q, i) => {
              const d = draft[q.id] ?? { text: '' };
              return (
                <fieldset key={q.id} className="opinion-question" data-question={q.id}>
                  <legend>
                    {i + 1}. {q.text}
                  </legend>
                  <div className="opinion-choices" role="radiogroup" aria-label={q.text}>
                    {CHOICES.map((c) => (
                      <button
                        key={c}
                        type="button"
                        role="radio"
                        aria-checked={d.choice === c}
                        data-choice={c}
                        className={`opinion-choice opinion-choice--${c}`}
                        disabled={busy !== null}
                        onClick={() => setDraft((x) => ({ ...x, [q.id]: { ...d, choice: c } }))}
                      >
                        <span className="opinion-choice__mark" aria-hidden>
                          {d.choice === c ? <Check size={20} /> : null}
                        </span>
                        {t(`opinions.choices.${c}`)}
                      </button>
                    ))}
                  </div>
                  <label className="field">
                    <span>{d.choice === 'other' ? t('opinions.otherText') : t('opinions.comment')}</span>
                    <textarea
                      rows={2}
                      maxLength={2000}
                      value={d.text}
                      required={d.choice === 'other'}
                      data-testid={`opinion-text-${q.id}`}
                      onChange={(e) => setDraft((x) => ({ ...x, [q.id]: { ...d, text: e.target.value } }))}
                    />
                  </label>
                </fieldset>
              );
            })}
            <div className="opinion-actions">
              <button
                type="submit"
                className="btn btn--secondary"
                data-testid="opinion-save"
                disabled={!complete || busy !== null || !unsavedChanges}
              >
                <Save aria-hidden size={18} /> {busy === 'save' ? t('opinions.saving') : t('opinions.save')}
              </button>
              <button
                type="button"
                className="btn btn--primary"
                data-testid="opinion-sign"
                disabled={busy !== null || unsavedChanges || saved.length === 0 || view.mine.signedAt !== null}
                onClick={() => void act('sign')}
              >
                <FileSignature aria-hidden size={18} /> {busy === 'sign' ? t('opinions.signing') : t('opinions.sign')}
              </button>
            </div>
            <p className="muted" data-testid="opinion-sign-state" data-signed={view.mine.signedAt ? 'true' : 'false'}>
              {view.mine.signedAt
                ? t('opinions.signedAt', { when: when(view.mine.signedAt) })
                : unsavedChanges && saved.length > 0
                  ? t('opinions.changedUnsigned')
                  : t('opinions.notSigned')}
            </p>
          </form>
        )}
        {message && (
          <p
            className={message.kind === 'error' ? 'opinion-error' : 'opinion-ok'}
            role={message.kind === 'error' ? 'alert' : 'status'}
          >
            {message.text}
          </p>
        )}

        {view.answers && !view.result && (
          <section className="opinion-summary" data-testid="opinion-named-answers" aria-labelledby="opinion-named-heading">
            <h2 id="opinion-named-heading">{t('opinions.namedAnswers')}</h2>
            {view.answers.length === 0 ? (
              <p className="muted">{t('opinions.namedNone')}</p>
            ) : (
              <ul className="opinion-summary__quotes">
                {view.answers.map((a) => (
                  <li key={a.userId} data-testid="opinion-named-answer">
                    <strong>{a.fullName}</strong>:{' '}
                    {a.answers.map((x) => {
                      const i = view.questions.findIndex((q) => q.id === x.questionId);
                      return (
                        <span key={x.questionId}>
                          {i + 1}. {t(`opinions.choices.${x.choice}`)}
                          {x.text ? ` (“${x.text}”)` : ''}{' '}
                        </span>
                      );
                    })}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}

        {view.result && (
          <section className="opinion-summary" data-testid="opinion-summary">
            <h2>{t('opinions.summary')}</h2>
            <p>
              {t('opinions.summaryTotals', { asked: view.result.asked, answered: view.result.answered })} ·{' '}
              {t(`opinions.closedBecause.${view.result.closedBecause}`)}
            </p>
            {view.result.questions.map((r, i) => {
              const q = view.questions.find((x) => x.id === r.questionId);
              return (
                <div
                  key={r.questionId}
                  className="opinion-summary__q"
                  data-question={r.questionId}
                  data-passed={r.passed ? 'true' : 'false'}
                >
                  <h3>
                    {i + 1}. {q?.text}
                  </h3>
                  <ul className="opinion-summary__counts">
                    <li>
                      {t('opinions.choices.agree')}: <strong>{r.agree}</strong> ({formatPercent(r.agree, r.base)})
                    </li>
                    <li>
                      {t('opinions.choices.disagree')}: <strong>{r.disagree}</strong>
                    </li>
                    <li>
                      {t('opinions.choices.other')}: <strong>{r.other}</strong>
                    </li>
                    <li>
                      {t('opinions.noAnswer')}: <strong>{r.noAnswer}</strong>
                    </li>
                  </ul>
                  <p className="opinion-summary__outcome">
                    <strong>{r.passed ? t('opinions.passed') : t('opinions.failed')}</strong> (
                    {t('opinions.needed', { needed: r.needed, base: r.base })})
                  </p>
                  {r.opinions.length > 0 && (
                    <ul className="opinion-summary__quotes">
                      {r.opinions.map((o, k) => (
                        <li key={k}>
                          <strong>{o.name}</strong> ({t(`opinions.choices.${o.choice}`)}): “{o.text}”
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              );
            })}
            {view.reportReady && (
              <a className="btn btn--secondary" href={`${url}/report.pdf`} data-testid="opinion-report">
                {t('opinions.report')}
              </a>
            )}
          </section>
        )}
        {!view.result && !view.named && view.can.seeSummary && (
          <p className="muted" data-testid="opinion-waiting">
            {t('opinions.waiting')}
          </p>
        )}
      </main>
    </>
  );
}

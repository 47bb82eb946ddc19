// A meeting's written-opinion requests: the ones the caller may see (the office: all; a member: the
// ones they are asked), and for the office (chair, secretary, administrator) the form that asks:
// title, the proposal's text, questions (one per line), deadline, who is asked, the passing rule.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDetail, User } from '../../../shared/api';
import type { OpinionRequestView } from '../../../shared/opinions';
import type { VoteRule } from '../../../shared/vote-rules';
import { isApiError, request } from '../api/http';
import { AppHeader } from '../components/AppHeader';
import { Loading } from '../components/StatusView';
import { navigate } from '../router';
import './opinions.css';

const RULES: VoteRule['kind'][] = ['majority_of_members', 'majority_of_present', 'two_thirds_of_members'];

export function OpinionsPage(props: { user: User; meetingId: string; onLogout: () => void }) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<MeetingDetail | null>(null);
  const [list, setList] = useState<OpinionRequestView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const id = encodeURIComponent(props.meetingId);
      setDetail(await request<MeetingDetail>('GET', `/api/meetings/${id}`));
      setList(await request<OpinionRequestView[]>('GET', `/api/meetings/${id}/opinions`));
    } catch (e) {
      setError(isApiError(e) ? t(`errors.${e.code}`, { defaultValue: e.message }) : String(e));
    }
  }, [props.meetingId, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const office = detail !== null && detail.abilities.askOpinions;
  return (
    <>
      <AppHeader user={props.user} title={<span className="brand">{t('app.name')}</span>} onLogout={props.onLogout} />
      <main className="opinion-page" data-testid="opinions-page">
        {!detail && !error && <Loading />}
        {error && (
          <p className="opinion-error" role="alert">
            {error}
          </p>
        )}
        {detail && (
          <>
            <header className="opinion-page__head">
              <div className="opinion-page__kicker">{t('opinions.kicker')}</div>
              <h1>{detail.meeting.title}</h1>
            </header>
            {list.length === 0 ? (
              <p className="muted">{t('opinions.list.none')}</p>
            ) : (
              <ul className="opinion-list">
                {list.map((r) => (
                  <li key={r.id}>
                    <a
                      href={`/opinions/${r.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`/opinions/${r.id}`);
                      }}
                      data-testid="opinion-link"
                    >
                      {r.title}
                    </a>{' '}
                    <span className="muted">
                      · {t(`opinions.status.${r.status}`)} · {t('opinions.answered', { n: r.answeredCount, of: r.asked.length })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {office && <CreateOpinionForm detail={detail} onCreated={(id) => navigate(`/opinions/${id}`)} />}
          </>
        )}
      </main>
    </>
  );
}

function CreateOpinionForm(props: { detail: MeetingDetail; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const members = props.detail.members.filter((m) => m.role !== 'guest');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [questions, setQuestions] = useState('');
  const [deadline, setDeadline] = useState(() => toLocalInput(new Date(Date.now() + 3 * 86400_000)));
  const [asked, setAsked] = useState<string[]>(() =>
    members.filter((m) => m.role === 'participant' || m.role === 'chair').map((m) => m.userId),
  );
  const [docs, setDocs] = useState<string[]>([]);
  const [rule, setRule] = useState<VoteRule['kind']>('majority_of_members');
  const [named, setNamed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const qs = questions
    .split('\n')
    .map((q) => q.trim())
    .filter(Boolean);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await request<{ id: string }>('POST', `/api/meetings/${encodeURIComponent(props.detail.meeting.id)}/opinions`, {
        title: title.trim(),
        summary,
        documentIds: docs,
        questions: qs,
        deadline: new Date(deadline).toISOString(),
        recipientIds: asked,
        rule: { kind: rule },
        named,
      });
      props.onCreated(r.id);
    } catch (e) {
      setError(isApiError(e) ? `${t(`errors.${e.code}`, { defaultValue: e.code })} ${e.message}` : String(e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  return (
    <form
      className="opinion-question"
      data-testid="opinion-create"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('opinions.create.title')}</h2>
      <label className="field">
        <span>{t('opinions.create.subject')}</span>
        <input name="title" required maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('opinions.create.summary')}</span>
        <textarea name="summary" rows={3} maxLength={20000} value={summary} onChange={(e) => setSummary(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('opinions.create.questions')}</span>
        <textarea
          name="questions"
          rows={3}
          value={questions}
          placeholder={t('opinions.create.questionsPlaceholder')}
          onChange={(e) => setQuestions(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('opinions.create.deadline')}</span>
        <input name="deadline" type="datetime-local" required value={deadline} onChange={(e) => setDeadline(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('opinions.create.rule')}</span>
        <select name="rule" value={rule} onChange={(e) => setRule(e.target.value as VoteRule['kind'])}>
          {RULES.map((k) => (
            <option key={k} value={k}>
              {t(`votes.rules.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="opinion-pick">
        <legend>{t('opinions.create.asked')}</legend>
        {members.map((m) => (
          <label key={m.userId}>
            <input
              type="checkbox"
              data-member={m.userId}
              checked={asked.includes(m.userId)}
              onChange={() => setAsked((a) => toggle(a, m.userId))}
            />{' '}
            {m.fullName}
          </label>
        ))}
      </fieldset>
      {props.detail.documents.length > 0 && (
        <fieldset className="opinion-pick">
          <legend>{t('opinions.create.documents')}</legend>
          {props.detail.documents.map((d) => (
            <label key={d.id}>
              <input type="checkbox" checked={docs.includes(d.id)} onChange={() => setDocs((a) => toggle(a, d.id))} />{' '}
              {d.title ?? d.filename}
            </label>
          ))}
        </fieldset>
      )}
      <label className="opinion-named">
        <input
          type="checkbox"
          name="named"
          checked={named}
          onChange={(e) => setNamed(e.target.checked)}
          data-testid="opinion-named"
        />{' '}
        {t('opinions.create.named')}
      </label>
      {error && (
        <p className="opinion-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="btn btn--primary"
        data-testid="opinion-create-submit"
        disabled={busy || !title.trim() || qs.length === 0 || asked.length === 0}
      >
        {t('opinions.create.submit')}
      </button>
    </form>
  );
}

/** "2026-12-07T09:30" in the browser's own time zone, for a datetime-local input. */
function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

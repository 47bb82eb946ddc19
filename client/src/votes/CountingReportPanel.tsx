// A closed election's vote-counting minutes (biên bản kiểm phiếu): the chair or the secretary names
// the counting committee (the first ticked is its head) and draws them up; each committee member
// signs from here; everyone downloads the PDF. Rules: server/elections/counting-report-service.ts.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api';
import type { CountingReportView } from '../../../shared/counting-report';
import { isApiError, request } from '../api/http';

export function CountingReportPanel(props: {
  meetingId: string;
  voteId: string;
  me: string;
  isOfficer: boolean;
  members: Member[];
}) {
  const { t } = useTranslation();
  const base = `/api/meetings/${encodeURIComponent(props.meetingId)}/votes/${encodeURIComponent(props.voteId)}/counting-report`;
  const [report, setReport] = useState<CountingReportView | null | 'none'>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setReport((await request<CountingReportView | null>('GET', base)) ?? 'none');
    } catch (e) {
      if (isApiError(e) && e.code === 'NOT_FOUND') setReport('none');
      else setError(isApiError(e) ? t(`errors.${e.code}`, { defaultValue: e.message }) : String(e));
    }
  }, [base, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const run = async (f: () => Promise<CountingReportView>) => {
    setBusy(true);
    setError(null);
    try {
      setReport(await f());
    } catch (e) {
      setError(isApiError(e) ? t(`errors.${e.code}`, { defaultValue: e.message }) : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (report === null) return null;
  const candidates = props.members.filter((m) => m.role !== 'guest');
  return (
    <section className="counting-report" data-testid="counting-report">
      <h4>{t('elections.report.title')}</h4>
      {report === 'none' ? (
        props.isOfficer ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => request('POST', base, { committee: chosen }));
            }}
          >
            <p className="muted">{t('elections.report.pick')}</p>
            <ul className="counting-report__pick">
              {candidates.map((m) => (
                <li key={m.userId}>
                  <label>
                    <input
                      type="checkbox"
                      checked={chosen.includes(m.userId)}
                      data-member={m.userId}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, m.userId] : c.filter((x) => x !== m.userId)))}
                    />{' '}
                    {m.fullName}
                    {chosen[0] === m.userId ? ` — ${t('elections.report.head')}` : ''}
                  </label>
                </li>
              ))}
            </ul>
            <button
              type="submit"
              className="btn btn--secondary"
              disabled={busy || chosen.length === 0}
              data-testid="counting-report-create"
            >
              {t('elections.report.create')}
            </button>
          </form>
        ) : (
          <p className="muted">{t('elections.report.none')}</p>
        )
      ) : (
        <>
          <ul className="counting-report__committee">
            {report.committee.map((m) => (
              <li key={m.userId} data-signed={m.signedAt ? 'true' : 'false'}>
                {m.fullName} ({m.head ? t('elections.report.head') : t('elections.report.member')}) —{' '}
                {m.signedAt ? t('elections.report.signed') : t('elections.report.unsigned')}
              </li>
            ))}
          </ul>
          {report.committee.some((m) => m.userId === props.me && !m.signedAt) && (
            <button
              type="button"
              className="btn btn--primary"
              disabled={busy}
              data-testid="counting-report-sign"
              onClick={() => void run(() => request('POST', `${base}/sign`))}
            >
              {t('elections.report.sign')}
            </button>
          )}
          <a className="btn btn--secondary" href={`${base}.pdf`} data-testid="counting-report-pdf">
            {t('elections.report.download')}
          </a>
        </>
      )}
      {error && (
        <p className="vote-warn" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

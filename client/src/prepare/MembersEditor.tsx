// The meeting's members with their roles, for whoever may manage them (admin, the meeting's chair or
// secretary): add an existing account with a role; an administrator may also create a new account.
import { Trash2, UserPlus } from 'lucide-react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDetail, MemberCandidate, User } from '../../../shared/api';
import { MEETING_ROLES, type MeetingRole } from '../../../shared/roles';
import { isApiError } from '../api/http';
import { prepareApi } from './prepare-api';
import { prepareErrorMessage } from './prepare-errors';

export function MembersEditor({
  detail,
  me,
  afterChange,
}: {
  detail: MeetingDetail;
  me: User;
  afterChange: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const meetingId = detail.meeting.id;
  const [users, setUsers] = useState<MemberCandidate[]>([]);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<MeetingRole>('participant');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);

  const loadUsers = useCallback(async () => {
    try {
      setUsers(await prepareApi.candidates(meetingId));
    } catch (e) {
      setError(prepareErrorMessage(t, e));
    }
  }, [t, meetingId]);
  useEffect(() => {
    void loadUsers();
  }, [loadUsers]);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(isApiError(e) && e.code === 'CONFLICT' ? t('prepare.chairTaken') : prepareErrorMessage(t, e));
      return false;
    } finally {
      await afterChange();
      setBusy(false);
    }
  };

  // the server refuses an officer's change to their own membership (it would lock them out); say so before asking
  const ownLocked = (name: string) => !me.isAdmin && name === me.username;

  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!username) return;
    if (ownLocked(username)) {
      setError(t('prepare.ownMembership'));
      return;
    }
    void run(() => prepareApi.addMember(meetingId, username, role)).then((ok) => {
      if (ok) setUsername('');
    });
  };

  const remove = (userId: string, name: string) => {
    if (!window.confirm(t('prepare.confirmRemoveMember', { name }))) return;
    void run(() => prepareApi.removeMember(meetingId, userId));
  };

  return (
    <div className="prep__section" data-testid="prepare-members">
      <h3>{t('prepare.members')}</h3>
      {detail.members.length === 0 && <p className="muted">{t('prepare.noMembers')}</p>}
      <ul className="prep__list">
        {detail.members.map((m) => (
          <li key={m.userId} className="prep-member" data-prep-member={m.username}>
            <span className="prep-member__name">
              {m.fullName} <span className="muted">({m.username})</span>
            </span>
            <span className="badge badge--role" data-role={m.role}>
              {t(`roles.${m.role}`)}
            </span>
            {!ownLocked(m.username) && (
              <button
                type="button"
                className="icon-btn"
                disabled={busy}
                aria-label={t('prepare.removeMember', { name: m.fullName })}
                title={t('prepare.removeMember', { name: m.fullName })}
                onClick={() => remove(m.userId, m.fullName)}
              >
                <Trash2 aria-hidden />
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="prep__row" onSubmit={add} data-testid="add-member-form">
        <label className="field">
          <span className="field__label">{t('prepare.member')}</span>
          <select name="username" value={username} onChange={(e) => setUsername(e.target.value)}>
            <option value="">{t('prepare.chooseUser')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.username}>
                {u.fullName} ({u.username})
              </option>
            ))}
          </select>
        </label>
        <label className="field field--narrow">
          <span className="field__label">{t('prepare.role')}</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as MeetingRole)}>
            {MEETING_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn--primary btn--compact" disabled={busy || !username} data-testid="add-member">
          <UserPlus aria-hidden size={18} /> {t('prepare.addMember')}
        </button>
      </form>
      {error && (
        <p className="prep-error" role="alert">
          {error}
        </p>
      )}
      {info && (
        <p className="prep-ok" role="status">
          {info}
        </p>
      )}
      {detail.abilities.createAccounts && (
        <NewAccountForm
          onCreated={(u) => {
            setInfo(t('prepare.accountCreated', { username: u.username }));
            setUsername(u.username);
            void loadUsers();
          }}
        />
      )}
    </div>
  );
}

function NewAccountForm({ onCreated }: { onCreated: (u: User) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const [organiser, setOrganiser] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!/^[a-zA-Z0-9._-]{2,64}$/.test(username) || !fullName.trim() || password.length < 8) {
      setError(t('prepare.accountInvalid'));
      return;
    }
    setBusy(true);
    try {
      const u = await prepareApi.createUser({ username, fullName: fullName.trim(), password, isOrganiser: organiser });
      setUsername('');
      setFullName('');
      setPassword('');
      setOrganiser(false);
      onCreated(u);
    } catch (err) {
      setError(
        isApiError(err) && err.code === 'CONFLICT'
          ? t('prepare.accountExists')
          : isApiError(err) && err.code === 'INVALID'
            ? t('prepare.accountInvalid')
            : prepareErrorMessage(t, err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <details>
      <summary>{t('prepare.newAccount')}</summary>
      <form
        className="prep__section"
        onSubmit={(e) => {
          void submit(e);
        }}
        data-testid="new-account-form"
        noValidate
      >
        <p className="muted">{t('prepare.newAccountHint')}</p>
        <label className="field">
          <span className="field__label">{t('prepare.username')}</span>
          <input
            name="newUsername"
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            maxLength={64}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('prepare.fullName')}</span>
          <input
            name="newFullName"
            autoComplete="off"
            value={fullName}
            onChange={(e) => setFullName(e.target.value)}
            maxLength={200}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('prepare.password')}</span>
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            maxLength={256}
          />
        </label>
        <label className="field field--check">
          <input name="newOrganiser" type="checkbox" checked={organiser} onChange={(e) => setOrganiser(e.target.checked)} />{' '}
          {t('prepare.organiser')}
        </label>
        {error && (
          <p className="prep-error" role="alert">
            {error}
          </p>
        )}
        <div>
          <button type="submit" className="btn btn--secondary btn--compact" disabled={busy}>
            {t('prepare.createAccount')}
          </button>
        </div>
      </form>
    </details>
  );
}

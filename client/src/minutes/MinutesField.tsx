// One editable text of the minutes with autosave: saved 1 s after typing stops and on blur, as a
// minutes.update command naming the version it was typed against. A stale version is refused by the
// server (CONFLICT): the writer chooses between the latest text and their own. Readers (and a
// writer with nothing unsaved) simply show the live text from the meeting state.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { minutesFieldKey, parseCopies, type MinutesField as FieldName } from '../../../shared/minutes-draft';
import type { LiveAck } from '../live/live-store';
import { liveErrorMessage } from '../live/errors';

/** The same checks the server makes, so the message is in the UI language and nothing is sent in vain. */
function localProblem(field: FieldName, text: string): 'copies' | 'tooLong' | null {
  if (field === 'copies') return parseCopies(text) === null ? 'copies' : null;
  if (field !== 'conclusions' && field !== 'discussion' && field !== 'conclusion' && field !== 'speaker' && text.length > 1000)
    return 'tooLong';
  return null;
}

export type SaveMinutes = (payload: {
  field: FieldName;
  itemId?: string;
  requestId?: string;
  text: string;
  baseVersion: number;
}) => Promise<LiveAck | null>;

const AUTOSAVE_MS = 1000;

type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export function MinutesField(props: {
  label: string;
  field: FieldName;
  itemId?: string;
  requestId?: string;
  /** the live text and its version (meeting state) */
  text: string;
  version: number;
  editable: boolean;
  multiline?: boolean;
  placeholder?: string;
  /** the server's limit for this field (shared/minutes-draft MINUTES_HEADER_MAX): typing stops there */
  maxLength?: number;
  save: SaveMinutes;
  testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [local, setLocal] = useState(props.text);
  const [base, setBase] = useState(props.version);
  const [state, setState] = useState<SaveState>('saved');
  const [message, setMessage] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ local, base, state });
  latest.current = { local, base, state };

  // Nothing unsaved here: follow the live text (another writer, or our own save coming back).
  useEffect(() => {
    if (latest.current.state === 'saved' || !props.editable) {
      setLocal(props.text);
      setBase(props.version);
    }
  }, [props.text, props.version, props.editable]);

  const { save, field, itemId, requestId } = props;
  // where a search hit opens the minutes (MinutesPanel focusKey)
  const fieldKey = minutesFieldKey({ field, ...(itemId ? { itemId } : {}), ...(requestId ? { requestId } : {}) }) ?? undefined;
  const flush = useCallback(
    async (baseVersion?: number) => {
      if (timer.current) {
        clearTimeout(timer.current);
        timer.current = null;
      }
      const { local: text, base: b, state: s } = latest.current;
      if (s !== 'dirty' && baseVersion === undefined) return;
      const v = baseVersion ?? b;
      const problem = localProblem(field, text);
      if (problem) {
        setState('error');
        setMessage(t(`minutes.invalid.${problem}`));
        return;
      }
      setState('saving');
      const ack = await save({ field, ...(itemId ? { itemId } : {}), ...(requestId ? { requestId } : {}), text, baseVersion: v });
      if (!ack) {
        setState('error');
        return;
      }
      if (ack.ok) {
        setBase(v + 1);
        setMessage(null);
        // typed more while saving: that is the next save
        setState(latest.current.local === text ? 'saved' : 'dirty');
        if (latest.current.local !== text) timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
        return;
      }
      if (ack.error.code === 'CONFLICT') {
        setState('conflict');
        return;
      }
      setState('error');
      // the server's message is English for the log; the user reads their own language
      setMessage(ack.error.code === 'INVALID' ? t('minutes.invalid.generic') : liveErrorMessage(t, ack));
    },
    [save, field, itemId, requestId, t],
  );

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const onChange = (value: string) => {
    setLocal(value);
    setState((s) => (s === 'conflict' ? s : 'dirty'));
    latest.current = { ...latest.current, local: value, state: latest.current.state === 'conflict' ? 'conflict' : 'dirty' };
    if (latest.current.state === 'conflict') return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
  };

  if (!props.editable) {
    return (
      <div className="minutes-field minutes-field--read" data-testid={props.testId} data-minutes-key={fieldKey} tabIndex={-1}>
        <div className="minutes-field__label">{props.label}</div>
        <div className="minutes-field__text">{props.text || props.placeholder || <span className="muted">—</span>}</div>
      </div>
    );
  }

  const Input = props.multiline ? 'textarea' : 'input';
  return (
    <div className={`minutes-field minutes-field--${state}`} data-minutes-key={fieldKey}>
      <div className="minutes-field__row">
        <label htmlFor={id} className="minutes-field__label">
          {props.label}
        </label>
        <span
          className="minutes-field__save"
          aria-live="polite"
          data-testid={props.testId ? `${props.testId}-state` : undefined}
          data-state={state}
        >
          {state === 'dirty' || state === 'error' ? (
            <span className="minutes-field__dot" aria-hidden>
              ●
            </span>
          ) : null}
          {state === 'conflict' ? '' : t(`minutes.save.${state}`)}
        </span>
      </div>
      <Input
        id={id}
        className="minutes-field__input"
        value={local}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        rows={props.multiline ? 4 : undefined}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => void flush()}
        data-testid={props.testId}
      />
      {state === 'conflict' && (
        <div className="minutes-field__conflict" role="alert">
          <span>{t('minutes.conflict')}</span>
          <button
            type="button"
            className="btn btn--secondary btn--compact"
            onClick={() => {
              setLocal(props.text);
              setBase(props.version);
              setState('saved');
            }}
          >
            {t('minutes.takeTheirs')}
          </button>
          <button type="button" className="btn btn--secondary btn--compact" onClick={() => void flush(props.version)}>
            {t('minutes.keepMine')}
          </button>
        </div>
      )}
      {state === 'error' && message && (
        <div className="minutes-field__error" role="alert" data-testid={props.testId ? `${props.testId}-error` : undefined}>
          {message}
        </div>
      )}
    </div>
  );
}

// Loads one API resource for a screen: loading / error / data, a reload, aborting on unmount, and
// a hand-off to the session gate when the server says the session is gone.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../api/http';

export type ApiState<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

export function useApi<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
  onUnauthenticated: () => void,
): ApiState<T> & { reload: () => void; refresh: () => void } {
  const [state, setState] = useState<ApiState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  /** a refresh keeps showing the data it has until the new answer arrives (no loading flash, no unmount) */
  const quiet = useRef(false);

  useEffect(() => {
    const ctrl = new AbortController();
    const keep = quiet.current;
    quiet.current = false;
    if (!keep) setState({ status: 'loading' });
    load(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (ctrl.signal.aborted) return;
        if (isApiError(error) && error.code === 'UNAUTHENTICATED') onUnauthenticated();
        else if (!keep) setState({ status: 'error', error }); // a failed background refresh keeps what is shown
      },
    );
    return () => ctrl.abort();
    // `load` is a fresh closure each render; `key` names what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const refresh = useCallback(() => {
    quiet.current = true;
    setAttempt((n) => n + 1);
  }, []);
  return { ...state, reload, refresh };
}

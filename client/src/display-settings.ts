// The signed-in person's display settings (larger text, high contrast), read from the server at
// sign-in so they follow the person to any device, applied as classes on <html> (styles.css).
import { useSyncExternalStore } from 'react';
import type { DisplaySettings } from '../../shared/api';
import { api } from './api/endpoints';

const OFF: DisplaySettings = { largeText: false, highContrast: false };
let current: DisplaySettings = OFF;
const listeners = new Set<() => void>();

function apply(next: DisplaySettings): void {
  current = next;
  document.documentElement.classList.toggle('ui-large-text', next.largeText);
  document.documentElement.classList.toggle('ui-high-contrast', next.highContrast);
  for (const l of listeners) l();
}

/** Reads the settings after sign-in; a failure leaves the defaults (the app still works). */
export async function loadDisplaySettings(): Promise<void> {
  try {
    apply(await api.displaySettings());
  } catch {
    apply(OFF);
  }
}

/** Signed out: back to the defaults, the next person's settings are their own. */
export function resetDisplaySettings(): void {
  apply(OFF);
}

/** Applies at once, then saves; a refused save puts the previous settings back. */
export async function saveDisplaySettings(next: DisplaySettings): Promise<void> {
  const before = current;
  apply(next);
  try {
    apply(await api.saveDisplaySettings(next));
  } catch (e) {
    apply(before);
    throw e;
  }
}

export function useDisplaySettings(): DisplaySettings {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

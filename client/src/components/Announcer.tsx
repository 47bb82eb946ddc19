// One polite live region for screen readers, present from the page's first paint: a region that
// appears together with its text is often not read, so messages go through this one instead.
// Only moments that matter are announced (page turns, vote recorded, floor given, connection),
// never every ink batch.
import { useEffect, useState } from 'react';

const EVENT = 'hopso:announce';

/** Queues a message for screen readers (polite: read after what is being read now). */
export function announce(text: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: text }));
}

export function Announcer() {
  const [text, setText] = useState('');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMessage = (e: Event) => {
      const next = (e as CustomEvent<string>).detail;
      // cleared first so the same sentence twice is read twice
      setText('');
      clearTimeout(timer);
      timer = setTimeout(() => setText(next), 50);
    };
    window.addEventListener(EVENT, onMessage);
    return () => {
      window.removeEventListener(EVENT, onMessage);
      clearTimeout(timer);
    };
  }, []);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}

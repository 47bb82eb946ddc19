// A page's own actions in the header (the meeting's minutes, invitation, written opinions, Prepare).
// On wide screens they are buttons in the header's row. On narrow ones (a portrait tablet, a phone,
// a 1280-wide screen at 200 % zoom) the row cannot hold every control beside the search, the bell,
// the display toggles and the language switch, so they fold behind one "more" button whose list
// opens below it (CSS decides which: .header-actions in styles.css). Escape or choosing closes it.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { MoreHorizontal } from 'lucide-react';

export function HeaderActions(props: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // handled here: the page's own Escape (closing a panel) does not also run
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      toggle.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', onPointer, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', onPointer, true);
    };
  }, [open]);
  return (
    <div className={`header-actions ${open ? 'header-actions--open' : ''}`} ref={box}>
      <button
        type="button"
        ref={toggle}
        className="icon-btn header-actions__toggle"
        aria-expanded={open}
        aria-controls={id}
        aria-label={props.label}
        title={props.label}
        onClick={() => setOpen((o) => !o)}
        data-testid="header-actions-toggle"
      >
        <MoreHorizontal aria-hidden />
      </button>
      {/* a click on an action inside runs it and closes the list */}
      <div className="header-actions__list" id={id} onClick={() => setOpen(false)}>
        {props.children}
      </div>
    </div>
  );
}

// While a confidential document is on screen: no copying, no dragging page images out, no context
// menu on the page, no printing (Ctrl/Cmd+P is swallowed and the print stylesheet blanks the page,
// for the browser menu's Print). The server enforces what matters — members only ever receive their
// watermarked copy — these only keep the browser's own tools from making a clean copy by accident.
import { useEffect } from 'react';

const BODY_CLASS = 'hs-confidential-open';

/** Inside the confidential viewer (the note editor and the rest of the page keep copy and paste). */
function onConfidential(node: unknown): boolean {
  const el = node instanceof Element ? node : node instanceof Node ? node.parentElement : null;
  return el?.closest('[data-confidential="true"]') != null;
}

export function useConfidentialGuard(active: boolean, onPrintBlocked?: () => void): void {
  useEffect(() => {
    if (!active) return;
    document.body.classList.add(BODY_CLASS);
    const block = (e: Event) => {
      if (onConfidential(e.target) || onConfidential(document.getSelection()?.anchorNode)) e.preventDefault();
    };
    const onKey = (e: KeyboardEvent) => {
      const k = e.key.toLowerCase();
      if ((e.ctrlKey || e.metaKey) && (k === 'p' || k === 's')) {
        e.preventDefault();
        if (k === 'p') onPrintBlocked?.();
      }
    };
    document.addEventListener('copy', block);
    document.addEventListener('cut', block);
    document.addEventListener('contextmenu', block);
    document.addEventListener('dragstart', block);
    window.addEventListener('keydown', onKey, true);
    return () => {
      document.body.classList.remove(BODY_CLASS);
      document.removeEventListener('copy', block);
      document.removeEventListener('cut', block);
      document.removeEventListener('contextmenu', block);
      document.removeEventListener('dragstart', block);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [active, onPrintBlocked]);
}

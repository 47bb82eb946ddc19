// Horizontal swipe with a finger turns the page. Vertical panning stays with the browser
// (touch-action: pan-y on the element), which cancels the pointer, so scrolling never turns pages.
import { useEffect, type RefObject } from 'react';

const MIN_DISTANCE = 60; // CSS px
const MAX_DURATION = 800; // ms; slower drags are reading, not swiping

export function useSwipe(
  ref: RefObject<HTMLElement | null>,
  onSwipe: (direction: 'left' | 'right') => void,
  enabled: boolean,
): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled) return;
    let start: { id: number; x: number; y: number; t: number } | null = null;
    const fingers = new Set<number>();
    const down = (e: PointerEvent) => {
      if (e.pointerType !== 'touch') return;
      fingers.add(e.pointerId);
      // a second finger makes it a pinch (usePinch), never a swipe
      if (fingers.size > 1) {
        start = null;
        return;
      }
      if (!e.isPrimary) return;
      start = { id: e.pointerId, x: e.clientX, y: e.clientY, t: e.timeStamp };
    };
    const up = (e: PointerEvent) => {
      fingers.delete(e.pointerId);
      if (!start || e.pointerId !== start.id) return;
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      const quick = e.timeStamp - start.t < MAX_DURATION;
      start = null;
      if (quick && Math.abs(dx) > MIN_DISTANCE && Math.abs(dx) > 1.5 * Math.abs(dy)) onSwipe(dx < 0 ? 'left' : 'right');
    };
    const cancel = (e: PointerEvent) => {
      fingers.delete(e.pointerId);
      start = null;
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', cancel);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', cancel);
    };
  }, [ref, onSwipe, enabled]);
}

// Two fingers on the page zoom it (the viewer's zoom, re-rendered sharp, not the browser's page
// zoom, which touch-action keeps off the viewer). Each 8 % change of the fingers' distance is one
// zoom step; the midpoint's movement pans. While an ink tool is active the ink layer has the
// fingers and does the same itself (annotations/InkLayer.tsx).
import { useEffect, useRef, type RefObject } from 'react';

export function usePinch(ref: RefObject<HTMLElement | null>, onPinch: (factor: number) => void): void {
  const cb = useRef(onPinch);
  cb.current = onPinch;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const touches = new Map<number, { x: number; y: number }>();
    let gesture: { dist: number; mid: { x: number; y: number } } | null = null;
    const measure = () => {
      const [a, b] = [...touches.values()];
      return { dist: Math.hypot(a!.x - b!.x, a!.y - b!.y), mid: { x: (a!.x + b!.x) / 2, y: (a!.y + b!.y) / 2 } };
    };
    const down = (e: PointerEvent) => {
      if (e.pointerType !== 'touch') return;
      touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (touches.size === 2) gesture = measure();
    };
    const move = (e: PointerEvent) => {
      if (!touches.has(e.pointerId)) return;
      touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (!gesture || touches.size !== 2) return;
      const now = measure();
      el.scrollBy(gesture.mid.x - now.mid.x, gesture.mid.y - now.mid.y);
      if (gesture.dist > 0 && Math.abs(now.dist / gesture.dist - 1) > 0.08) {
        cb.current(now.dist / gesture.dist);
        gesture = now;
      } else gesture = { ...gesture, mid: now.mid };
    };
    const up = (e: PointerEvent) => {
      touches.delete(e.pointerId);
      if (touches.size < 2) gesture = null;
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
  }, [ref]);
}

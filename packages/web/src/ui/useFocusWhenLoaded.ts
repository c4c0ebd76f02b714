import { useEffect, useRef } from 'react';

/**
 * Moves focus into the page once its data is shown, when it was lost (the row or link that opened
 * the page is gone), so the next Tab starts at the top of the content rather than the top of the app.
 */
export function useFocusWhenLoaded(loaded: boolean): void {
  const done = useRef(false);
  useEffect(() => {
    if (!loaded || done.current) return;
    done.current = true;
    const active = document.activeElement;
    if (!active || active === document.body) document.getElementById('main')?.focus({ preventScroll: true });
  }, [loaded]);
}

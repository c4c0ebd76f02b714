import { useEffect, useRef } from 'react';

/** How long after `g` the second key still counts. */
const CHORD_MS = 1500;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  // Checkboxes and radio buttons take no text, so shortcuts still work while one has focus.
  if (target instanceof HTMLInputElement && ['checkbox', 'radio'].includes(target.type)) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Keyboard shortcuts for the shell: `g` followed by a letter jumps to an area, `?` opens the help,
 * and any other key runs the open page's shortcut for it, if any (see pageShortcuts.ts).
 * Ignored while typing in a field, with modifier keys held, or while a dialog is open.
 */
export function useShortcuts(handlers: {
  goTo: Record<string, () => void>;
  help: () => void;
  page: () => Record<string, () => void>;
}): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    let pendingSince = 0;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      if (event.key === '?') {
        event.preventDefault();
        pendingSince = 0;
        latest.current.help();
        return;
      }
      const key = event.key.toLowerCase();
      if (pendingSince && Date.now() - pendingSince < CHORD_MS) {
        pendingSince = 0;
        const go = latest.current.goTo[key];
        if (go) {
          event.preventDefault();
          go();
        }
        return;
      }
      if (key === 'g' && !event.shiftKey) {
        pendingSince = Date.now();
        return;
      }
      const run = latest.current.page()[event.key];
      if (run) {
        event.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

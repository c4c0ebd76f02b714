import { useEffect } from 'react';

/** Names the browser tab after the page, e.g. "Members · Device trade-in · Casebook". */
export function useDocumentTitle(...parts: (string | undefined)[]): void {
  const title = [...parts.filter(Boolean), 'Casebook'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}

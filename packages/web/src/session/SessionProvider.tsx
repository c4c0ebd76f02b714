import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { fetchSession, login, logout } from '../api/auth';
import { ApiError, onSessionLost, setCsrfToken } from '../api/client';
import type { Session } from '../api/types';
import { type SessionApi, SessionContext, type SessionState } from './sessionContext';

/**
 * Holds who is signed in. It asks the server once on load, keeps the CSRF token in the API client
 * in step with the session, and drops to "signed out" when any request finds the session gone.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signedIn', session });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    fetchSession(controller.signal).then(accept, (error: unknown) => {
      if (controller.signal.aborted) return;
      setCsrfToken(null);
      setState({ status: 'signedOut' });
      if (!(error instanceof ApiError) || error.code !== 'unauthenticated') console.error(error);
    });
    return () => controller.abort();
  }, [accept]);

  useEffect(() => {
    onSessionLost(() => {
      setCsrfToken(null);
      setState({ status: 'signedOut', reason: 'expired' });
    });
    return () => onSessionLost(null);
  }, []);

  const api = useMemo<SessionApi>(
    () => ({
      state,
      async signIn(email, password) {
        const session = await login(email, password);
        accept(session);
        return session;
      },
      async signOut() {
        try {
          await logout();
        } finally {
          setCsrfToken(null);
          setState({ status: 'signedOut', reason: 'signedOut' });
        }
      },
      async refresh() {
        accept(await fetchSession());
      },
    }),
    [state, accept],
  );

  return <SessionContext value={api}>{children}</SessionContext>;
}

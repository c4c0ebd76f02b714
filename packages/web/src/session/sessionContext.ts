import { createContext } from 'react';
import type { Session } from '../api/types';

/** Where the app stands with the server: still asking, signed out, or signed in with a session. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason?: 'expired' | 'signedOut' }
  | { status: 'signedIn'; session: Session };

export type SessionApi = {
  state: SessionState;
  signIn(email: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
  /** Reloads the session, e.g. after a brand was renamed, so names and capabilities are current. */
  refresh(): Promise<void>;
};

/** Shared by SessionProvider and useSession; null outside the provider. */
export const SessionContext = createContext<SessionApi | null>(null);

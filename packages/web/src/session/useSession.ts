import { useContext } from 'react';
import type { Session } from '../api/types';
import { type SessionApi, SessionContext } from './sessionContext';

/** The session API; components below SessionProvider use it to read or change who is signed in. */
export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession is used outside <SessionProvider>.');
  return value;
}

/** The signed-in session, for components that only render behind RequireSession. */
export function useSignedInSession(): Session {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useSignedInSession is used while nobody is signed in.');
  return state.session;
}

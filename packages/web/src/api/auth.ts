import { api } from './client';
import type { Session } from './types';

/*
 * Signing in and out, the current session, and changing one's own password.
 */

/** Signs in; the server sets the session cookie and returns the session. */
export function login(email: string, password: string): Promise<Session> {
  return api.post<Session>('/auth/login', { email, password });
}

/** The current session, or an ApiError "unauthenticated" when signed out. */
export function fetchSession(signal?: AbortSignal): Promise<Session> {
  return api.get<Session>('/auth/session', { signal });
}

/** Ends the session on the server (no body, as the API expects). */
export function logout(): Promise<void> {
  return api.post<void>('/auth/logout');
}

/** Changes the signed-in person's password; the server ends their other sessions. */
export function changePassword(
  currentPassword: string,
  newPassword: string,
): Promise<{ endedSessions: number }> {
  return api.post<{ endedSessions: number }>('/auth/password', { currentPassword, newPassword });
}

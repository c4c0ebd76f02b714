import { api } from './client';
import type { Session } from './types';

/** Signing in and out, the current session, and changing one's own password. */

export function login(email: string, password: string): Promise<Session> {
  return api.post<Session>('/auth/login', { email, password });
}

export function fetchSession(signal?: AbortSignal): Promise<Session> {
  return api.get<Session>('/auth/session', { signal });
}

export function logout(): Promise<void> {
  return api.post<void>('/auth/logout');
}

export function changePassword(currentPassword: string, newPassword: string): Promise<{ endedSessions: number }> {
  return api.post<{ endedSessions: number }>('/auth/password', { currentPassword, newPassword });
}

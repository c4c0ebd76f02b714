import { api } from './client';

/** In-app notifications: posts to the pack channels the person's role sees. */

export type AppNotification = {
  id: number;
  channel: string;
  text: string;
  link: string | null;
  createdAt: string;
  read: boolean;
};

export async function listNotifications(
  brandId: string,
  signal?: AbortSignal,
): Promise<{ data: AppNotification[]; unread: number }> {
  return api.get(`/brands/${encodeURIComponent(brandId)}/notifications`, { signal });
}

export async function unreadNotifications(brandId: string, signal?: AbortSignal): Promise<number> {
  const path = `/brands/${encodeURIComponent(brandId)}/notifications/unread-count`;
  return (await api.get<{ data: { unread: number } }>(path, { signal })).data.unread;
}

export async function markNotificationsRead(
  brandId: string,
  which: { ids: number[] } | { all: true },
): Promise<{ marked: number; unread: number }> {
  const path = `/brands/${encodeURIComponent(brandId)}/notifications/read`;
  return (await api.post<{ data: { marked: number; unread: number } }>(path, which)).data;
}

export type NotificationWebhook = {
  id: string;
  channel: string;
  kind: 'slack' | 'generic';
  url: string;
  secret: string;
  enabled: boolean;
  createdAt: string;
  deliveries: { pending: number; delivered: number; failed: number };
  lastError: string | null;
  allowed: string[];
};

/** Where the brand's channel posts are delivered (brand.settings.manage). */
export async function listWebhooks(brandId: string, signal?: AbortSignal): Promise<NotificationWebhook[]> {
  const path = `/brands/${encodeURIComponent(brandId)}/notification-webhooks`;
  return (await api.get<{ data: NotificationWebhook[] }>(path, { signal })).data;
}

export async function addWebhook(
  brandId: string,
  input: { channel: string; kind: 'slack' | 'generic'; url: string },
): Promise<NotificationWebhook> {
  const path = `/brands/${encodeURIComponent(brandId)}/notification-webhooks`;
  return (await api.post<{ data: NotificationWebhook }>(path, input)).data;
}

export async function deleteWebhook(id: string): Promise<void> {
  await api.delete(`/notification-webhooks/${encodeURIComponent(id)}`);
}

export async function fetchNotificationSettings(
  brandId: string,
  signal?: AbortSignal,
): Promise<{ allowPrivateWebhookAddresses: boolean }> {
  const path = `/brands/${encodeURIComponent(brandId)}/notification-settings`;
  return (await api.get<{ data: { allowPrivateWebhookAddresses: boolean } }>(path, { signal })).data;
}

export async function saveNotificationSettings(
  brandId: string,
  input: { allowPrivateWebhookAddresses: boolean },
): Promise<{ allowPrivateWebhookAddresses: boolean }> {
  const path = `/brands/${encodeURIComponent(brandId)}/notification-settings`;
  return (await api.patch<{ data: { allowPrivateWebhookAddresses: boolean } }>(path, input)).data;
}

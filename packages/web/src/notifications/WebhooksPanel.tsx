import { type FormEvent, useState } from 'react';
import {
  addWebhook,
  deleteWebhook,
  fetchNotificationSettings,
  listWebhooks,
  saveNotificationSettings,
} from '../api/notifications';
import type { Brand } from '../api/types';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { useResource } from '../ui/useResource';

/** For the brand's admins: the webhooks each channel's posts go to, and the private-address switch. */
export function WebhooksPanel({ brand }: { brand: Brand }) {
  const hooks = useResource((signal) => listWebhooks(brand.id, signal), [brand.id]);
  const settings = useResource((signal) => fetchNotificationSettings(brand.id, signal), [brand.id]);
  const [channel, setChannel] = useState('');
  const [kind, setKind] = useState<'slack' | 'generic'>('slack');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await addWebhook(brand.id, { channel: channel.trim(), kind, url: url.trim() });
      setUrl('');
      hooks.reload();
    } catch (e) {
      setError(e);
    }
  }
  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      hooks.reload();
      settings.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="webhooks-title" className="webhooks-panel">
      <h2 id="webhooks-title" className="section-title">
        Channel webhooks
      </h2>
      {settings.data && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings.data.allowPrivateWebhookAddresses}
            onChange={(e) =>
              run(() =>
                saveNotificationSettings(brand.id, { allowPrivateWebhookAddresses: e.target.checked }),
              )
            }
          />{' '}
          Allow webhooks to private, loopback and link-local addresses (an internal relay only)
        </label>
      )}
      <ul className="notification-list">
        {hooks.data?.map((h) => (
          <li key={h.id}>
            <p>
              <strong>{h.channel}</strong> → {h.kind === 'slack' ? 'Slack' : 'signed webhook'} {h.url}
            </p>
            <small className="muted">
              {h.deliveries.delivered} delivered, {h.deliveries.pending} waiting, {h.deliveries.failed} failed
              {h.lastError ? ` · last error: ${h.lastError}` : ''}
              {h.kind === 'generic' ? ` · signing key ${h.secret}` : ''}
            </small>{' '}
            {h.allowed.includes('delete') && (
              <button
                type="button"
                className="button small danger-text"
                onClick={() => run(() => deleteWebhook(h.id))}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="coupon-add">
        <label className="field">
          <span>Channel</span>
          <input
            value={channel}
            onChange={(e) => setChannel(e.target.value)}
            aria-invalid={isFieldInvalid(error, 'channel')}
            required
          />
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as 'slack' | 'generic')}>
            <option value="slack">Slack-compatible ({'{ text }'})</option>
            <option value="generic">Signed JSON (HMAC-SHA256)</option>
          </select>
        </label>
        <label className="field">
          <span>URL</span>
          <input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            aria-invalid={isFieldInvalid(error, 'url')}
            required
          />
        </label>
        <button type="submit" className="button">
          Add webhook
        </button>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { openSecret } from '../auth/secrets';
import type { Queryable } from '../db/client';
import { notificationSettings, notifications, notificationWebhooks, webhookDeliveries } from '../db/schema';
import { defineJob } from '../jobs/define';
import { checkWebhookUrl, guardedLookup, WebhookAddressError } from './address';
import { DELIVER_JOB } from './post';

/** The header of a generic webhook's signature: `sha256=` and the hex HMAC of `timestamp.body`. */
export const NOTIFICATION_SIGNATURE_HEADER = 'x-casebook-signature';
export const NOTIFICATION_TIMESTAMP_HEADER = 'x-casebook-timestamp';
const TIMEOUT_MS = 10_000;

/** The signature a generic webhook carries, over `${timestamp}.${body}` with the webhook's secret. */
export function notificationSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Whether the brand's admins allow webhooks to private addresses. */
export async function allowsPrivateAddresses(db: Queryable, brandId: string): Promise<boolean> {
  const [row] = await db
    .select({ allow: notificationSettings.allowPrivateWebhookAddresses })
    .from(notificationSettings)
    .where(eq(notificationSettings.brandId, brandId));
  return row?.allow ?? false;
}

type Sent = { status: number };

function send(url: URL, body: string, headers: Record<string, string>, allowPrivate: boolean): Promise<Sent> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        lookup: guardedLookup(allowPrivate),
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const payloadSchema = z.object({ deliveryId: z.uuid() });

/**
 * Sends one notification to one webhook: Slack-compatible `{ text }`, or the generic JSON signed
 * with the webhook's secret. A refused address fails the delivery at once; a network error or a
 * non-2xx answer is retried with the queue's exponential backoff, up to `DELIVERY_ATTEMPTS` tries.
 * Idempotent: a delivery already delivered is not sent again.
 */
export const deliverJob = defineJob<z.infer<typeof payloadSchema>>(DELIVER_JOB, {
  mode: 'lease',
  leaseMs: 60_000,
  parse: (p) => payloadSchema.parse(p),
  async run({ db, payload, job, now, deps }) {
    const [row] = await db
      .select({ delivery: webhookDeliveries, hook: notificationWebhooks, notification: notifications })
      .from(webhookDeliveries)
      .innerJoin(notificationWebhooks, eq(notificationWebhooks.id, webhookDeliveries.webhookId))
      .innerJoin(notifications, eq(notifications.id, webhookDeliveries.notificationId))
      .where(eq(webhookDeliveries.id, payload.deliveryId));
    if (row?.delivery.state !== 'pending') return;
    const { hook, notification } = row;
    const allowPrivate = await allowsPrivateAddresses(db, hook.brandId);
    const record = (values: Partial<typeof webhookDeliveries.$inferInsert>) =>
      db
        .update(webhookDeliveries)
        .set({ attempts: job.attempts, ...values })
        .where(eq(webhookDeliveries.id, row.delivery.id));
    let sent: Sent;
    try {
      const url = new URL(hook.url);
      await checkWebhookUrl(hook.url, allowPrivate);
      const body =
        hook.kind === 'slack'
          ? JSON.stringify({ text: notification.text })
          : JSON.stringify({
              id: notification.id,
              brandId: notification.brandId,
              channel: notification.channel,
              template: notification.template,
              text: notification.text,
              link: notification.link,
              createdAt: notification.createdAt.toISOString(),
            });
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const headers: Record<string, string> =
        hook.kind === 'generic'
          ? {
              [NOTIFICATION_TIMESTAMP_HEADER]: timestamp,
              [NOTIFICATION_SIGNATURE_HEADER]: notificationSignature(
                openSecret(deps.config.secret, hook.secret),
                timestamp,
                body,
              ),
              'x-casebook-delivery': row.delivery.id,
            }
          : {};
      sent = await send(url, body, headers, allowPrivate);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof WebhookAddressError) {
        await record({ state: 'failed', lastError: `Refused: ${message}` });
        return;
      }
      await record({ lastError: message });
      throw error;
    }
    if (sent.status < 200 || sent.status >= 300) {
      await record({ lastStatus: sent.status, lastError: `HTTP ${sent.status}` });
      throw new Error(`The webhook answered HTTP ${sent.status}`);
    }
    await record({ state: 'delivered', lastStatus: sent.status, lastError: null, deliveredAt: now });
  },
  async onFailed({ tx, job }) {
    const parsed = payloadSchema.safeParse(job.payload);
    if (!parsed.success) return;
    await tx
      .update(webhookDeliveries)
      .set({ state: 'failed', attempts: job.attempts })
      .where(eq(webhookDeliveries.id, parsed.data.deliveryId));
  },
});

import { type Pack, type PackDefinition, renderTemplate } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { notifications, notificationWebhooks, webhookDeliveries } from '../db/schema';
import { enqueue } from '../jobs/queue';

/** The job that sends one webhook delivery (see `deliver.ts`). */
export const DELIVER_JOB = 'notifications.deliver';
/** Tries of one delivery: with the default backoff the last one is about a day and a half later. */
export const DELIVERY_ATTEMPTS = 12;

export type PostNotificationInput = {
  brandId: string;
  /** A channel of the brand's pack, e.g. `#cs-handling`. */
  channel: string;
  /** A template of that channel, by name; with `text`, the kind of message it is (e.g. `advice`). */
  template: string;
  /** A message already written (an advised `notify` action), posted instead of a template. */
  text?: string;
  /** The template's placeholders. */
  vars?: Readonly<Record<string, unknown>>;
  /** Where the notification leads in the app, e.g. `/brands/<id>/approvals/<id>`. */
  link?: string | null;
};

export type PostNotificationEnv = {
  /** The application clock's now (also fills `{{today:…}}`). */
  now: Date;
  /** The brand's pack (as loaded, or its definition), which holds the channel and its templates. */
  pack: Pack | PackDefinition;
};

export type PostedNotification = { notificationId: number; text: string; deliveries: number };

/**
 * Posts a message to one of the pack's channels in the caller's transaction: renders the channel's
 * template, stores the in-app notification and enqueues one delivery job per enabled webhook of the
 * channel (the outbox), so nothing is posted unless the caller's change commits.
 *
 * @example await postNotification(tx, { brandId, channel: '#cs-handling', template: 'pop_approved', vars: { v_number: 'V1042', s_number: 'S7781' } }, { now, pack })
 */
export async function postNotification(
  tx: Queryable,
  input: PostNotificationInput,
  env: PostNotificationEnv,
): Promise<PostedNotification> {
  const pack = 'manifest' in env.pack ? env.pack.manifest : env.pack;
  const channel = pack.channels[input.channel];
  if (!channel) throw new Error(`The pack "${pack.id}" has no channel "${input.channel}".`);
  const template = channel.templates[input.template];
  if (input.text === undefined && template === undefined) {
    throw new Error(
      `The channel "${input.channel}" of pack "${pack.id}" has no template "${input.template}".`,
    );
  }
  const text =
    input.text ?? renderTemplate(template!, input.vars ?? {}, env.now, pack.calendar.timezone).text;
  const [row] = await tx
    .insert(notifications)
    .values({
      brandId: input.brandId,
      channel: input.channel,
      template: input.template,
      text,
      link: input.link ?? null,
      createdAt: env.now,
    })
    .returning({ id: notifications.id });
  const notificationId = row!.id;
  const hooks = await tx
    .select({ id: notificationWebhooks.id })
    .from(notificationWebhooks)
    .where(
      and(
        eq(notificationWebhooks.brandId, input.brandId),
        eq(notificationWebhooks.channel, input.channel),
        eq(notificationWebhooks.enabled, true),
      ),
    );
  for (const hook of hooks) {
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({ brandId: input.brandId, webhookId: hook.id, notificationId, createdAt: env.now })
      .returning({ id: webhookDeliveries.id });
    await enqueue(
      tx,
      {
        kind: DELIVER_JOB,
        brandId: input.brandId,
        payload: { deliveryId: delivery!.id },
        runAt: env.now,
        maxAttempts: DELIVERY_ATTEMPTS,
      },
      env.now,
    );
  }
  return { notificationId, text, deliveries: hooks.length };
}

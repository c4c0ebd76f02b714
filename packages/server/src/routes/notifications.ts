import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import { openSecret, sealSecret } from '../auth/secrets';
import type { Deps } from '../context';
import { notificationSettings, notificationWebhooks, webhookDeliveries } from '../db/schema';
import { errors } from '../errors';
import { checkWebhookUrl, WebhookAddressError } from '../notifications/address';
import { allowsPrivateAddresses } from '../notifications/deliver';
import { listNotifications, markRead, unreadCount, visibleChannels } from '../notifications/inbox';
import { type BrandAccess, can, requireBrand, requireBrandOf } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';

const notificationSchema = z.object({
  id: z.number(),
  channel: z.string(),
  text: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});

const webhookSchema = z.object({
  id: z.uuid(),
  channel: z.string(),
  kind: z.enum(['slack', 'generic']),
  url: z.string(),
  secret: z.string().describe('The HMAC-SHA256 key of a generic webhook'),
  enabled: z.boolean(),
  createdAt: z.string(),
  deliveries: z.object({ pending: z.number(), delivered: z.number(), failed: z.number() }),
  lastError: z.string().nullable(),
  allowed: z.array(z.string()),
});

const settingsSchema = z.object({
  allowPrivateWebhookAddresses: z.boolean(),
  allowed: z.array(z.string()),
});

export const notificationRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const packOf = (access: BrandAccess) => deps.packs.get(access.brand.packId)!;
    const userIdOf = (access: BrandAccess) => (access.actor.kind === 'user' ? access.actor.userId : null);

    app.get(
      '/brands/:brandId/notifications',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['notifications'],
          summary:
            'The caller’s in-app notifications (posts to the pack channels their role sees), newest first',
          params: brandParams,
          querystring: z.strictObject({
            unread: z
              .enum(['true', 'false'])
              .optional()
              .transform((v) => v === 'true'),
            before: z.coerce
              .number()
              .int()
              .positive()
              .optional()
              .describe('Page: notifications older than this id'),
            limit: z.coerce.number().int().min(1).max(200, { error: 'must be at most 200' }).default(50),
          }),
          response: {
            200: z.object({ data: z.array(notificationSchema), unread: z.number() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const channels = visibleChannels(packOf(access), access);
        const userId = userIdOf(access);
        const rows = await listNotifications(db, access.brand.id, channels, userId, request.query);
        return {
          data: rows.map((r) => ({
            id: r.id,
            channel: r.channel,
            text: r.text,
            link: r.link,
            createdAt: r.createdAt.toISOString(),
            read: r.readAt !== null,
          })),
          unread: await unreadCount(db, access.brand.id, channels, userId),
        };
      },
    );

    app.get(
      '/brands/:brandId/notifications/unread-count',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['notifications'],
          summary: 'How many of the caller’s notifications are unread',
          params: brandParams,
          response: { 200: z.object({ data: z.object({ unread: z.number() }) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const channels = visibleChannels(packOf(access), access);
        return { data: { unread: await unreadCount(db, access.brand.id, channels, userIdOf(access)) } };
      },
    );

    app.post(
      '/brands/:brandId/notifications/read',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['notifications'],
          summary: 'Marks notifications read for the caller: the given ids, or all of them',
          params: brandParams,
          body: z
            .strictObject({
              ids: z.array(z.int().positive()).max(500, { error: 'must list at most 500 ids' }).optional(),
              all: z.boolean().optional(),
            })
            .refine((b) => b.all === true || (b.ids && b.ids.length > 0), {
              error: 'give ids or all: true',
              path: ['ids'],
            }),
          response: {
            200: z.object({ data: z.object({ marked: z.number(), unread: z.number() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId);
          const userId = userIdOf(access)!;
          const channels = visibleChannels(packOf(access), access);
          const marked = await markRead(
            tx,
            access.brand.id,
            channels,
            userId,
            request.body.all ? 'all' : request.body.ids!,
            ctx.now,
          );
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'notifications',
            entityId: userId,
            action: 'mark_read',
            after: { marked, all: request.body.all ?? false },
          });
          return { data: { marked, unread: await unreadCount(tx, access.brand.id, channels, userId) } };
        });
      },
    );

    async function presentWebhooks(access: BrandAccess, id?: string) {
      const rows = await db
        .select({
          hook: notificationWebhooks,
          pending: sql<number>`count(${webhookDeliveries.id}) filter (where ${webhookDeliveries.state} = 'pending')::int`,
          delivered: sql<number>`count(${webhookDeliveries.id}) filter (where ${webhookDeliveries.state} = 'delivered')::int`,
          failed: sql<number>`count(${webhookDeliveries.id}) filter (where ${webhookDeliveries.state} = 'failed')::int`,
          lastError: sql<
            string | null
          >`(array_agg(${webhookDeliveries.lastError} order by ${webhookDeliveries.createdAt} desc) filter (where ${webhookDeliveries.lastError} is not null))[1]`,
        })
        .from(notificationWebhooks)
        .leftJoin(webhookDeliveries, eq(webhookDeliveries.webhookId, notificationWebhooks.id))
        .where(
          and(
            eq(notificationWebhooks.brandId, access.brand.id),
            id ? eq(notificationWebhooks.id, id) : undefined,
          ),
        )
        .groupBy(notificationWebhooks.id)
        .orderBy(desc(notificationWebhooks.createdAt));
      return rows.map((r) => ({
        id: r.hook.id,
        channel: r.hook.channel,
        kind: r.hook.kind,
        url: r.hook.url,
        secret: openSecret(deps.config.secret, r.hook.secret),
        enabled: r.hook.enabled,
        createdAt: r.hook.createdAt.toISOString(),
        deliveries: { pending: r.pending, delivered: r.delivered, failed: r.failed },
        lastError: r.lastError,
        allowed: can(access, 'brand.settings.manage') ? ['delete'] : [],
      }));
    }

    app.get(
      '/brands/:brandId/notification-webhooks',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['notifications'],
          summary: 'Where the brand’s channel posts are delivered (capability brand.settings.manage)',
          params: brandParams,
          response: { 200: z.object({ data: z.array(webhookSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'brand.settings.manage',
        );
        return { data: await presentWebhooks(access) };
      },
    );

    app.post(
      '/brands/:brandId/notification-webhooks',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['notifications'],
          summary:
            'Delivers a channel’s posts to a webhook: Slack-compatible { text } or generic signed JSON (capability brand.settings.manage). Private, loopback and link-local addresses are refused unless the brand allows them.',
          params: brandParams,
          body: z.strictObject({
            channel: z.string().min(1, { error: 'is required' }),
            kind: z.enum(['slack', 'generic'], { error: 'must be slack or generic' }),
            url: z.string().min(1, { error: 'is required' }).max(2000),
          }),
          response: { 201: z.object({ data: webhookSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'brand.settings.manage');
        const pack = packOf(access);
        if (!Object.hasOwn(pack.manifest.channels, request.body.channel)) {
          throw errors.field('channel', `"${request.body.channel}" is not a channel of the brand’s pack`);
        }
        try {
          await checkWebhookUrl(request.body.url, await allowsPrivateAddresses(db, access.brand.id));
        } catch (error) {
          if (error instanceof WebhookAddressError) throw errors.field('url', error.message);
          throw error;
        }
        const id = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(notificationWebhooks)
            .values({
              brandId: access.brand.id,
              channel: request.body.channel,
              kind: request.body.kind,
              url: request.body.url,
              secret: sealSecret(deps.config.secret, randomBytes(32).toString('hex')),
              createdAt: ctx.now,
              updatedAt: ctx.now,
            })
            .returning();
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'notification_webhook',
            entityId: row!.id,
            action: 'create',
            after: { channel: row!.channel, kind: row!.kind, url: row!.url },
          });
          return row!.id;
        });
        const [hook] = await presentWebhooks(access, id);
        return reply.status(201).send({ data: hook! });
      },
    );

    app.delete(
      '/notification-webhooks/:webhookId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['notifications'],
          summary: 'Stops delivering to a webhook and forgets it (capability brand.settings.manage)',
          params: z.strictObject({ webhookId: uuidParam('webhookId') }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await db.transaction(async (tx) => {
          const [row] = await tx
            .select()
            .from(notificationWebhooks)
            .where(eq(notificationWebhooks.id, request.params.webhookId));
          const access = await requireBrandOf(
            tx,
            ctx.actor,
            row?.brandId,
            'webhook',
            'brand.settings.manage',
          );
          await tx.delete(notificationWebhooks).where(eq(notificationWebhooks.id, row!.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'notification_webhook',
            entityId: row!.id,
            action: 'delete',
            before: { channel: row!.channel, kind: row!.kind, url: row!.url },
          });
        });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/brands/:brandId/notification-settings',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['notifications'],
          summary: 'The brand’s notification settings (capability brand.settings.manage)',
          params: brandParams,
          response: { 200: z.object({ data: settingsSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'brand.settings.manage',
        );
        return {
          data: {
            allowPrivateWebhookAddresses: await allowsPrivateAddresses(db, access.brand.id),
            allowed: ['update'],
          },
        };
      },
    );

    app.patch(
      '/brands/:brandId/notification-settings',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['notifications'],
          summary:
            'Changes the brand’s notification settings, e.g. allows webhooks to private addresses (capability brand.settings.manage)',
          params: brandParams,
          body: z.strictObject({ allowPrivateWebhookAddresses: z.boolean() }),
          response: { 200: z.object({ data: settingsSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'brand.settings.manage');
          const before = await allowsPrivateAddresses(tx, access.brand.id);
          const value = request.body.allowPrivateWebhookAddresses;
          await tx
            .insert(notificationSettings)
            .values({ brandId: access.brand.id, allowPrivateWebhookAddresses: value, updatedAt: ctx.now })
            .onConflictDoUpdate({
              target: notificationSettings.brandId,
              set: { allowPrivateWebhookAddresses: value, updatedAt: ctx.now },
            });
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'notification_settings',
            entityId: access.brand.id,
            action: 'update',
            before: { allowPrivateWebhookAddresses: before },
            after: { allowPrivateWebhookAddresses: value },
          });
          return { data: { allowPrivateWebhookAddresses: value, allowed: ['update'] } };
        });
      },
    );
  };

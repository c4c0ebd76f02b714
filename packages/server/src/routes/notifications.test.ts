import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationWebhooks, webhookDeliveries } from '../db/schema';
import { buildJobRegistry, runDueJobs } from '../jobs';
import { isPrivateAddress } from '../notifications/address';
import {
  NOTIFICATION_SIGNATURE_HEADER,
  NOTIFICATION_TIMESTAMP_HEADER,
  notificationSignature,
} from '../notifications/deliver';
import { DELIVER_JOB, postNotification } from '../notifications/post';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

type Received = { headers: IncomingMessage['headers']; body: string };

/** A webhook receiver on loopback that can be stopped and started again on the same port. */
class Receiver {
  server: Server | undefined;
  received: Received[] = [];
  port = 0;
  async start(port = 0) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop() {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

const MINUTE = 60_000;

describe('notifications', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  const receiver = new Receiver();

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'trade-in');
    admin = (await signedInMember(h, brand, 'admin')).client;
  });
  afterAll(async () => {
    await receiver.stop();
  });

  const registry = () => buildJobRegistry(h.deps);
  const deliver = () => runDueJobs(h.deps, registry(), { kinds: [DELIVER_JOB] });
  const post = (vars: Record<string, string>) =>
    h.deps.database.db.transaction((tx) =>
      postNotification(
        tx,
        { brandId: brand.id, channel: '#cs-handling', template: 'proof_approved', vars, link: '/x' },
        { now: h.clock.now(), pack: h.deps.packs.get('trade-in')! },
      ),
    );

  it('classifies private, loopback and link-local addresses, IPv4 and IPv6', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of [
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'ff02::1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses webhooks to private, loopback or link-local addresses unless an admin allows them', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost:9/hook',
      'http://[::1]:9/hook',
      'http://169.254.169.254/latest',
      'http://[fe80::1]/x',
      'http://10.0.0.5/x',
    ]) {
      const res = await admin.post(`/api/v1/brands/${brand.id}/notification-webhooks`, {
        channel: '#cs-handling',
        kind: 'slack',
        url,
      });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toMatch(/^url: .*private, loopback or link-local/);
    }
    const bad = await admin.post(`/api/v1/brands/${brand.id}/notification-webhooks`, {
      channel: '#nope',
      kind: 'slack',
      url: 'https://hooks.example.com/x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^channel: /);
    const ftp = await admin.post(`/api/v1/brands/${brand.id}/notification-webhooks`, {
      channel: '#cs-handling',
      kind: 'slack',
      url: 'ftp://example.com/x',
    });
    expect(ftp.body.error.message).toMatch(/^url: must start with https/);
  });

  it('delivers a Slack post and a signed generic webhook once, after the receiver was down for ten minutes', async () => {
    await receiver.start();
    const port = receiver.port;
    await receiver.stop(); // down from the start
    const allow = await admin.patch(`/api/v1/brands/${brand.id}/notification-settings`, {
      allowPrivateWebhookAddresses: true,
    });
    expect(allow.body.data.allowPrivateWebhookAddresses).toBe(true);
    const slack = await admin.post(`/api/v1/brands/${brand.id}/notification-webhooks`, {
      channel: '#cs-handling',
      kind: 'slack',
      url: `http://127.0.0.1:${port}/slack`,
    });
    expect(slack.status).toBe(201);
    const generic = await admin.post(`/api/v1/brands/${brand.id}/notification-webhooks`, {
      channel: '#cs-handling',
      kind: 'generic',
      url: `http://localhost:${port}/generic`,
    });
    expect(generic.status).toBe(201);
    // The signing key is stored sealed: the database holds neither it nor anything it starts with.
    const [stored] = await h.deps.database.db
      .select({ secret: notificationWebhooks.secret })
      .from(notificationWebhooks)
      .where(eq(notificationWebhooks.id, generic.body.data.id));
    expect(generic.body.data.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.secret.startsWith('v1:')).toBe(true);
    expect(stored!.secret).not.toContain(generic.body.data.secret.slice(0, 16));

    const posted = await post({ v_number: 'V1042', s_number: 'S7781' });
    expect(posted.text).toBe('V1042 | S7781 | Proof of Purchase approved');
    expect(posted.deliveries).toBe(2);

    // Ten minutes of a dead receiver: every due try fails and is retried later.
    const started = h.clock.now().getTime();
    while (h.clock.now().getTime() - started < 10 * MINUTE) {
      await deliver();
      h.clock.advance(30_000);
    }
    expect(receiver.received).toHaveLength(0);
    const during = await h.deps.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.notificationId, posted.notificationId));
    expect(during.map((d) => d.state)).toEqual(['pending', 'pending']);
    expect(during.every((d) => d.attempts >= 4 && d.lastError)).toBe(true);

    await receiver.start(port);
    for (let i = 0; i < 40; i += 1) {
      await deliver();
      h.clock.advance(MINUTE);
    }
    expect(receiver.received).toHaveLength(2);
    const slackHit = receiver.received.find((r) => r.body.startsWith('{"text"'))!;
    expect(JSON.parse(slackHit.body)).toEqual({ text: 'V1042 | S7781 | Proof of Purchase approved' });
    const genericHit = receiver.received.find((r) => r !== slackHit)!;
    const ts = String(genericHit.headers[NOTIFICATION_TIMESTAMP_HEADER]);
    expect(genericHit.headers[NOTIFICATION_SIGNATURE_HEADER]).toBe(
      notificationSignature(generic.body.data.secret, ts, genericHit.body),
    );
    expect(JSON.parse(genericHit.body)).toMatchObject({
      channel: '#cs-handling',
      text: 'V1042 | S7781 | Proof of Purchase approved',
    });
    const after = await h.deps.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.notificationId, posted.notificationId));
    expect(after.map((d) => d.state)).toEqual(['delivered', 'delivered']);

    // Nothing is sent twice however long the clock runs on.
    h.clock.advance(48 * 60 * MINUTE);
    await deliver();
    expect(receiver.received).toHaveLength(2);
    const list = await admin.get(`/api/v1/brands/${brand.id}/notification-webhooks`);
    expect(list.body.data.map((w: { deliveries: { delivered: number } }) => w.deliveries.delivered)).toEqual([
      1, 1,
    ]);
  });

  it('refuses at delivery time when private addresses are no longer allowed', async () => {
    await admin.patch(`/api/v1/brands/${brand.id}/notification-settings`, {
      allowPrivateWebhookAddresses: false,
    });
    const before = receiver.received.length;
    const posted = await post({ v_number: 'V2', s_number: 'S2' });
    await deliver();
    const rows = await h.deps.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.notificationId, posted.notificationId));
    expect(rows.map((d) => d.state)).toEqual(['failed', 'failed']);
    expect(rows[0]!.lastError).toMatch(/^Refused: /);
    expect(receiver.received).toHaveLength(before);
  });

  it('lists in-app notifications with an unread count and marks them read per user', async () => {
    const agent = (await signedInMember(h, brand, 'agent')).client;
    const list = await agent.get(`/api/v1/brands/${brand.id}/notifications`);
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThanOrEqual(2);
    expect(list.body.unread).toBe(list.body.data.length);
    const first = list.body.data[0];
    const marked = await agent.post(`/api/v1/brands/${brand.id}/notifications/read`, { ids: [first.id] });
    expect(marked.body.data).toEqual({ marked: 1, unread: list.body.unread - 1 });
    const count = await agent.get(`/api/v1/brands/${brand.id}/notifications/unread-count`);
    expect(count.body.data.unread).toBe(list.body.unread - 1);
    // Another user's read state is their own.
    const other = (await signedInMember(h, brand, 'agent')).client;
    expect((await other.get(`/api/v1/brands/${brand.id}/notifications/unread-count`)).body.data.unread).toBe(
      list.body.unread,
    );
    await agent.post(`/api/v1/brands/${brand.id}/notifications/read`, { all: true });
    expect((await agent.get(`/api/v1/brands/${brand.id}/notifications?unread=true`)).body.data).toEqual([]);
    const empty = await agent.post(`/api/v1/brands/${brand.id}/notifications/read`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/ids/);
  });

  it('shows a channel only to the roles it notifies', async () => {
    const fashion = await makeBrand(h, 'fashion-leads');
    await h.deps.database.db.transaction((tx) =>
      postNotification(
        tx,
        {
          brandId: fashion.id,
          channel: 'Leadership GChat',
          template: 'coupons_low',
          vars: { pool: 'WELCOME', remaining: 5 },
        },
        { now: h.clock.now(), pack: h.deps.packs.get('fashion-leads')! },
      ),
    );
    const lead = (await signedInMember(h, fashion, 'lead')).client;
    const agent = (await signedInMember(h, fashion, 'agent')).client;
    const leadList = await lead.get(`/api/v1/brands/${fashion.id}/notifications`);
    expect(leadList.body.data.map((n: { text: string }) => n.text)).toEqual([
      'Coupon pool WELCOME: 5 codes left. Please add new ones.',
    ]);
    expect((await agent.get(`/api/v1/brands/${fashion.id}/notifications`)).body.data).toEqual([]);
  });

  it('refuses webhook settings without brand.settings.manage (403) and to other brands (404)', async () => {
    const agent = (await signedInMember(h, brand, 'agent')).client;
    const hooks = await agent.get(`/api/v1/brands/${brand.id}/notification-webhooks`);
    expect(hooks.status).toBe(403);
    expect(
      (
        await agent.patch(`/api/v1/brands/${brand.id}/notification-settings`, {
          allowPrivateWebhookAddresses: true,
        })
      ).status,
    ).toBe(403);
    const stranger = (await signedInMember(h, await makeBrand(h, 'trade-in'), 'admin')).client;
    expect((await stranger.get(`/api/v1/brands/${brand.id}/notification-webhooks`)).status).toBe(404);
    expect((await stranger.get(`/api/v1/brands/${brand.id}/notifications`)).status).toBe(404);
    const list = await admin.get(`/api/v1/brands/${brand.id}/notification-webhooks`);
    const id = list.body.data[0].id;
    expect((await stranger.delete(`/api/v1/notification-webhooks/${id}`)).status).toBe(404);
    expect((await agent.delete(`/api/v1/notification-webhooks/${id}`)).status).toBe(403);
    expect((await admin.delete(`/api/v1/notification-webhooks/${id}`)).status).toBe(204);
  });
});

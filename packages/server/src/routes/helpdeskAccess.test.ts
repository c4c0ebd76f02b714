import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

type Call = [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown];

/**
 * Every helpdesk route refuses a member whose role lacks the capability it needs, with the reason:
 * `tickets.work` to see and work tickets, `helpdesk.manage` to configure the helpdesk.
 */
describe('helpdesk authorization', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let ids: {
    ticket: string;
    customer: string;
    queue: string;
    policy: string;
    macro: string;
    view: string;
    order: string;
    message: string;
    attachment: string;
    side: string;
  };

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
    admin = (await signedInMember(h, brand, 'admin')).client;
    const order = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `ACC-${Date.now()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [],
    });
    const t = await admin.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: 'Access',
      body: 'Hello',
      customer: { email: `acc${Date.now()}@example.com` },
      attachments: [
        { filename: 'a.txt', contentType: 'text/plain', contentBase64: Buffer.from('hi').toString('base64') },
      ],
    });
    const queue = await admin.post(`/api/v1/brands/${brand.id}/queues`, { name: `Q${Date.now()}` });
    const policy = await admin.post(`/api/v1/brands/${brand.id}/sla-policies`, { name: `P${Date.now()}` });
    const macro = await admin.post(`/api/v1/brands/${brand.id}/macros`, {
      name: `M${Date.now()}`,
      body: 'Hi',
    });
    const view = await admin.post(`/api/v1/brands/${brand.id}/views`, { name: 'Shared', shared: true });
    const side = await admin.post(`/api/v1/tickets/${t.body.data.id}/side-conversations`, {
      with: 'supplier',
      to: 'supplier@supplier.example',
      subject: 'Stock',
      body: 'Is it in stock?',
    });
    ids = {
      ticket: t.body.data.id,
      customer: t.body.data.customerId,
      message: t.body.data.messages[0].id,
      attachment: t.body.data.messages[0].attachments[0].id,
      order: order.body.data.id,
      queue: queue.body.data.id,
      policy: policy.body.data.id,
      macro: macro.body.data.id,
      view: view.body.data.id,
      side: side.body.data.id,
    };
  });

  const ticketsWork = (): Call[] => [
    ['POST', '/api/v1/tickets', { brandId: brand.id, subject: 'x', body: 'y' }],
    ['GET', `/api/v1/brands/${brand.id}/tickets`],
    ['GET', `/api/v1/brands/${brand.id}/ticket-counts`],
    ['POST', `/api/v1/brands/${brand.id}/tickets/bulk`, { ticketIds: [ids.ticket], addTags: ['x'] }],
    ['GET', `/api/v1/tickets/${ids.ticket}`],
    ['PATCH', `/api/v1/tickets/${ids.ticket}`, { priority: 'low' }],
    ['POST', `/api/v1/tickets/${ids.ticket}/messages`, { kind: 'note', body: 'x' }],
    ['POST', `/api/v1/tickets/${ids.ticket}/merge`, { intoTicketId: ids.ticket }],
    ['POST', `/api/v1/tickets/${ids.ticket}/split`, { messageId: ids.message }],
    ['POST', `/api/v1/tickets/${ids.ticket}/orders`, { orderNumber: 'x' }],
    ['DELETE', `/api/v1/tickets/${ids.ticket}/orders/${ids.order}`],
    ['GET', `/api/v1/attachments/${ids.attachment}`],
    ['GET', `/api/v1/brands/${brand.id}/search?q=hello`],
    ['GET', `/api/v1/brands/${brand.id}/customers`],
    ['POST', `/api/v1/brands/${brand.id}/customers`, { name: 'x' }],
    ['GET', `/api/v1/customers/${ids.customer}`],
    ['PATCH', `/api/v1/customers/${ids.customer}`, { notes: 'x' }],
    ['GET', `/api/v1/brands/${brand.id}/queues`],
    ['GET', `/api/v1/brands/${brand.id}/sla-policies`],
    ['GET', `/api/v1/brands/${brand.id}/macros`],
    ['GET', `/api/v1/brands/${brand.id}/views`],
    ['POST', `/api/v1/brands/${brand.id}/views`, { name: 'Mine' }],
    ['GET', `/api/v1/brands/${brand.id}/live`],
    ['POST', `/api/v1/tickets/${ids.ticket}/presence`, { mode: 'viewing' }],
    ['GET', `/api/v1/tickets/${ids.ticket}/presence`],
    ['GET', `/api/v1/tickets/${ids.ticket}/advice`],
    ['GET', `/api/v1/brands/${brand.id}/helpdesk-meta`],
    ['POST', `/api/v1/tickets/${ids.ticket}/advice/apply`, { index: 0 }],
    ['POST', `/api/v1/tickets/${ids.ticket}/advice/override`, { intent: null }],
    ['POST', `/api/v1/tickets/${ids.ticket}/macros/render`, { macro: 'x' }],
    ['POST', `/api/v1/tickets/${ids.ticket}/macros/apply`, { macro: 'x', send: false }],
    [
      'POST',
      `/api/v1/tickets/${ids.ticket}/side-conversations`,
      { with: 'vendor', to: 'v@vendor.example', subject: 's', body: 'b' },
    ],
    ['GET', `/api/v1/side-conversations/${ids.side}`],
    ['POST', `/api/v1/side-conversations/${ids.side}/messages`, { kind: 'note', body: 'x' }],
    ['PATCH', `/api/v1/side-conversations/${ids.side}`, { status: 'closed' }],
  ];

  const helpdeskManage = (): Call[] => [
    ['POST', `/api/v1/brands/${brand.id}/queues`, { name: 'Nope' }],
    ['PATCH', `/api/v1/queues/${ids.queue}`, { title: 'Nope' }],
    ['DELETE', `/api/v1/queues/${ids.queue}`],
    ['POST', `/api/v1/brands/${brand.id}/sla-policies`, { name: 'Nope' }],
    ['PATCH', `/api/v1/sla-policies/${ids.policy}`, { warnMinutes: 5 }],
    ['DELETE', `/api/v1/sla-policies/${ids.policy}`],
    ['POST', `/api/v1/brands/${brand.id}/macros`, { name: 'Nope', body: 'x' }],
    ['PATCH', `/api/v1/macros/${ids.macro}`, { body: 'x' }],
    ['DELETE', `/api/v1/macros/${ids.macro}`],
    ['POST', `/api/v1/brands/${brand.id}/views`, { name: 'Shared nope', shared: true }],
    ['DELETE', `/api/v1/views/${ids.view}`],
    ['GET', `/api/v1/brands/${brand.id}/mail-settings`],
    ['PATCH', `/api/v1/brands/${brand.id}/mail-settings`, { fromName: 'Nope' }],
    ['GET', `/api/v1/brands/${brand.id}/outbox`],
  ];

  it('refuses every ticket route to a member without tickets.work, naming the capability', async () => {
    const { client } = await signedInMember(h, brand, { capabilities: ['audit.read', 'helpdesk.manage'] });
    for (const [method, url, body] of ticketsWork()) {
      const res = await client.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.error.message, `${method} ${url}`).toContain('"tickets.work"');
    }
  });

  it('refuses every helpdesk setting to an agent without helpdesk.manage, naming the capability', async () => {
    const { client } = await signedInMember(h, brand, 'agent');
    for (const [method, url, body] of helpdeskManage()) {
      const res = await client.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.error.message, `${method} ${url}`).toContain('"helpdesk.manage"');
    }
  });

  it('hides every ticket route of a brand from members of another brand', async () => {
    const other = await makeBrand(h, 'trade-in');
    const { client } = await signedInMember(h, other, 'admin');
    for (const [method, url, body] of [...ticketsWork(), ...helpdeskManage()]) {
      if (url === '/api/v1/tickets') continue;
      const res = await client.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
  });
});

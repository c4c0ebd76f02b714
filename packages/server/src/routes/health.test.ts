import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, TestClient, testApp } from '../test/harness';

describe('GET /api/v1/health', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await testApp();
  });

  it('reports the database kind and that every migration is applied', async () => {
    const res = await new TestClient(h.app).get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database.kind).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded');
    expect(res.body.database.migrations.pending).toEqual([]);
    expect(res.body.database.migrations.applied).toBe(res.body.database.migrations.available);
    expect(res.body.packs.map((p: { id: string }) => p.id)).toEqual([
      'fashion-leads',
      'marketplace-dropship',
      'multichannel-retail',
      'store-supplier',
      'trade-in',
    ]);
  });
});

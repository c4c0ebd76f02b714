import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../app';
import { type Harness, TestClient, testApp } from '../test/harness';

describe('the API surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await testApp();
  });

  it('publishes an OpenAPI 3.1 document that lists every API route', async () => {
    const res = await new TestClient(h.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    const served = h.app.apiRoutes.filter((r) => r !== 'GET /api/v1/openapi.json');
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
    expect(served.length).toBe(documented.size);
  });

  it('documents the request schema of a write, with unknown fields rejected', async () => {
    const res = await new TestClient(h.app).get('/api/v1/openapi.json');
    const body = res.body.paths['/api/v1/users'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['email', 'name', 'password']));
    expect(body.additionalProperties).toBe(false);
  });

  it('refuses to start with an API route that declares no auth policy', async () => {
    const app = await buildApp(h.deps);
    expect(() =>
      app.get('/api/v1/unguarded', { schema: { response: { 200: z.object({}) } } }, async () => ({})),
    ).toThrow(/declares no auth policy/);
  });
});

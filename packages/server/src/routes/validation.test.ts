import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';

describe('bad input gets a clear 400 naming the field', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
    admin = (await signedInMember(h, brand, 'admin', { isOrgAdmin: true })).client;
  });

  it('rejects unknown fields in a write', async () => {
    const res = await admin.patch(`/api/v1/brands/${brand.id}`, { name: 'Ok', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toBe('colour: is not a known field');
    expect(res.body.error.details.problems).toEqual([
      { field: 'colour', in: 'body', problem: 'is not a known field' },
    ]);
  });

  it('rejects a malformed field, naming it and the problem', async () => {
    const res = await admin.post('/api/v1/users', {
      email: 'not-an-email',
      name: 'X',
      password: 'long enough password',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('email: must be an email address');
  });

  it('names every problem when there are several', async () => {
    const res = await admin.post('/api/v1/users', { email: 'bad', name: '', password: 'short' });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.problems.map((p: { field: string }) => p.field).sort();
    expect(fields).toEqual(['email', 'name', 'password']);
  });

  it('rejects a field of the wrong type', async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/roles`, {
      name: 'ok_name',
      title: 'T',
      capabilities: 'audit.read',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^capabilities: /);
  });

  it('rejects an unknown capability in a role', async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/roles`, {
      name: 'ok_name',
      title: 'T',
      capabilities: ['fly'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('capabilities.0: is not a known capability');
  });

  it('rejects a missing required field', async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/members`, { email: 'a@example.com' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems[0].field).toBe('role');
  });

  it('rejects a malformed id in the path', async () => {
    const res = await admin.get('/api/v1/brands/not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems[0]).toEqual({
      field: 'brandId',
      in: 'params',
      problem: 'brandId must be a UUID',
    });
  });

  it('rejects a malformed query parameter', async () => {
    const res = await admin.get(`/api/v1/brands/${brand.id}/audit?limit=5000`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('limit: must be at most 200');
  });

  it('rejects a body that is not JSON', async () => {
    const res = await admin.request('PATCH', `/api/v1/brands/${brand.id}`, undefined, {
      rawBody: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_request');
  });

  it('rejects a body of another media type', async () => {
    const res = await admin.request('PATCH', `/api/v1/brands/${brand.id}`, undefined, {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers an unknown API route with not_found in the error shape', async () => {
    const res = await new TestClient(h.app).get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('writes nothing when a write is refused', async () => {
    const before = await admin.get(`/api/v1/brands/${brand.id}/audit`);
    await admin.patch(`/api/v1/brands/${brand.id}`, { name: 'Ok', colour: 'red' });
    await admin.post(`/api/v1/brands/${brand.id}/roles`, {
      name: 'admin',
      title: 'Duplicate',
      capabilities: [],
    });
    const after = await admin.get(`/api/v1/brands/${brand.id}/audit`);
    expect(after.body.data[0].id).toBe(before.body.data[0].id);
    const roles = await admin.get(`/api/v1/brands/${brand.id}/roles`);
    expect(roles.body.data.filter((r: { name: string }) => r.name === 'admin')).toHaveLength(1);
  });
});

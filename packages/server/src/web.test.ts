import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { testApp } from './test/harness';

describe('serving the web app', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Casebook</title>');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function app() {
    const h = await testApp();
    return buildApp({ ...h.deps, config: { ...h.deps.config, webDir: dir } });
  }

  it('answers every page path with index.html and a content security policy', async () => {
    const a = await app();
    for (const url of ['/', '/login', '/b/some-brand/inbox']) {
      const res = await a.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>Casebook</title>');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('serves files built after start-up, and keeps unknown API paths as JSON 404s', async () => {
    const a = await app();
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'assets', 'late.js'), 'console.log(1)');
    const late = await a.inject({ method: 'GET', url: '/assets/late.js' });
    expect(late.statusCode).toBe(200);
    expect(late.headers['content-type']).toContain('javascript');
    const api = await a.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });
});

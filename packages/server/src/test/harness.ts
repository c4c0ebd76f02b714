import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import type { Deps } from '../context';
import { loadPacks, type PackRegistry } from '../packs';
import { testDatabase } from './db';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

let packs: PackRegistry | undefined;

/** A clock that tests move by hand. */
export class TestClock {
  private t: number;
  constructor(start = new Date()) {
    this.t = start.getTime();
  }
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

export type Harness = { app: FastifyInstance; deps: Deps; clock: TestClock };

/** The real application, called in process (no port), on the test file's database. */
export async function testApp(): Promise<Harness> {
  const database = await testDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    CASEBOOK_SECRET: TEST_SECRET,
    CASEBOOK_DEMO: '0',
    CASEBOOK_WEB_DIR: '/nonexistent',
  });
  packs ??= loadPacks(config.packsDir);
  const clock = new TestClock();
  const deps: Deps = { database, config, clock: clock.now, packs };
  const app = await buildApp(deps);
  return { app, deps, clock };
}

export type Response<T = any> = {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
};

/**
 * Makes requests as one caller: a browser session (cookie + CSRF token), an API token, or nobody.
 * Each client has its own loopback address, so login rate limits of one test do not touch another.
 */
export class TestClient {
  readonly ip = `127.${randomInt(1, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`;
  cookie?: string;
  csrfToken?: string;
  bearer?: string;

  constructor(readonly app: FastifyInstance) {}

  async request<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.csrfToken && method !== 'GET' && options.csrf !== false)
      headers['x-csrf-token'] = this.csrfToken;
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await this.app.inject({ method, url, headers, payload, remoteAddress: this.ip });
    const type = String(res.headers['content-type'] ?? '');
    return {
      status: res.statusCode,
      body: type.includes('json') && res.body ? res.json() : (res.body as T),
      headers: res.headers,
    };
  }

  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown, options?: { csrf?: boolean }) {
    return this.request<T>('POST', url, body, options);
  }
  patch<T = any>(url: string, body?: unknown) {
    return this.request<T>('PATCH', url, body);
  }
  delete<T = any>(url: string) {
    return this.request<T>('DELETE', url);
  }

  /** Signs in through the API, keeping the session cookie and CSRF token. */
  async signIn(email: string, password: string): Promise<Response> {
    const res = await this.post('/api/v1/auth/login', { email, password });
    const setCookie = res.headers['set-cookie'];
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (res.status === 200 && first) {
      this.cookie = String(first).split(';')[0];
      this.csrfToken = res.body.csrfToken;
    }
    return res;
  }
}

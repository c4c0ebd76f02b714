import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startServer } from '@casebook/server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { describe, it } from 'vitest';

/*
 * What the browser tests share: finding Debian's Chromium (or explaining why the suite is skipped
 * or failing), building the web app when its sources changed, and starting the real server with a
 * fresh demo database on a free port.
 */

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet headless Chromium in a container; no profile dir, so each launch is clean. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const webRoot = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = path.resolve(webRoot, '../..');
const distIndex = path.join(webRoot, 'dist', 'index.html');

function chromiumFound(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` for browser tests. Without Chromium the suite is skipped with one plain line, except
 * when CASEBOOK_REQUIRE_BROWSER=1 (CI): there a missing browser is a failing test that says why.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (chromiumFound()) {
    describe(name, body);
    return;
  }
  if (process.env.CASEBOOK_REQUIRE_BROWSER === '1') {
    describe(name, () => {
      it('finds Chromium', () => {
        throw new Error(
          `Browser tests are required (CASEBOOK_REQUIRE_BROWSER=1) but ${CHROMIUM_PATH} was not found. Install it with: apt-get install chromium`,
        );
      });
    });
    return;
  }
  console.log(`browser tests skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`);
  describe.skip(name, body);
}

/** The newest modification time among the files the web build reads. */
function newestSourceTime(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const entry of ['src', 'public', 'index.html', 'vite.config.ts', 'package.json']) {
    const full = path.join(webRoot, entry);
    if (fs.existsSync(full)) visit(full);
  }
  return newest;
}

function buildIsCurrent(): boolean {
  return fs.existsSync(distIndex) && fs.statSync(distIndex).mtimeMs >= newestSourceTime();
}

/**
 * Holds a lock directory while building, so browser test files running in parallel workers do
 * not build into the same dist at once. A lock older than five minutes is left over and removed.
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = path.join(
    os.tmpdir(),
    `casebook-web-build-${Buffer.from(webRoot).toString('hex').slice(-16)}.lock`,
  );
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the web build lock ${lock}.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds packages/web/dist when it is missing or older than the sources, with the same config as
 * `npm run build:web`. The server lists the built files when it starts, so this runs first.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (buildIsCurrent()) return;
  await withBuildLock(async () => {
    if (buildIsCurrent()) return;
    // Vitest sets NODE_ENV=test; the served app must be the production build, as `npm start` makes.
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: path.join(webRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
}

export type TestServer = {
  url: string;
  /** The port of the server's inbound SMTP receiver, when `CASEBOOK_SMTP_PORT` was given. */
  smtpPort: number | undefined;
  close(): Promise<void>;
};

export type TestServerOptions = {
  /**
   * More environment for the server's configuration, e.g. `SMTP_URL` (a capture server),
   * `CASEBOOK_WORKER: '1'` (send queued mail; off by default in tests) or `CASEBOOK_SMTP_PORT: '0'`
   * (receive mail by SMTP on a free loopback port).
   */
  env?: Record<string, string>;
  /** The server's clock, for tests that move time (e.g. `() => new Date(now)`); default: real time. */
  clock?: () => Date;
};

/** Starts the real Casebook server in this process on a free port, with a fresh demo database. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-e2e-'));
  try {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      CASEBOOK_DATA_DIR: dataDir,
      CASEBOOK_DEMO: '1',
      DATABASE_URL: '',
      ...options.env,
    });
    const running = await startServer(config, {
      log: () => {},
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return {
      url: running.url,
      smtpPort: running.smtp?.port,
      async close() {
        try {
          await running.close();
        } finally {
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts Debian's Chromium headless with the flags above. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A browser pointed at a running server; each page gets its own context, so cookies never leak. */
export type E2E = {
  baseUrl: string;
  /** The server's inbound SMTP port, when started with `CASEBOOK_SMTP_PORT`. */
  smtpPort: number | undefined;
  /** A page in a fresh context (no cookies, no localStorage) whose relative URLs go to the server. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
};

/** Builds the app if needed, starts the server and Chromium; `close` stops all of them. */
export async function startE2E(options: TestServerOptions = {}): Promise<E2E> {
  await ensureWebBuilt();
  const server = await startTestServer(options);
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await server.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    baseUrl: server.url,
    smtpPort: server.smtpPort,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ baseURL: server.url, viewport });
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      try {
        for (const context of contexts) await context.close();
        await browser.close();
      } finally {
        await server.close();
      }
    },
  };
}

/** Where screenshots go: the repository's .test-artifacts (gitignored). */
export function artifactPath(name: string): string {
  const dir = path.join(repoRoot, '.test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

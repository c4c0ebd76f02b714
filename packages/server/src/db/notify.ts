import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Queryable } from './client';
import { pgErrorCode } from './errors';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; we keep a margin. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7900;

/** Receives the payload of each notification on a channel. */
export type NotificationHandler = (payload: string) => void;

export type ListenOptions = {
  /**
   * Called after the listening connection to a PostgreSQL server dropped and came back:
   * notifications sent meanwhile are lost, so a listener that must not miss any re-reads its state.
   */
  onReconnect?: () => void;
};

/** Stops one `listen`; the channel's LISTEN ends with its last handler. */
export type Unlisten = () => Promise<void>;

/**
 * Sends a notification on `channel` (pg_notify). Inside a transaction it is delivered on commit and
 * never for a rollback; identical notifications of one transaction are delivered once.
 */
export async function notify(tx: Queryable, channel: string, payload: string): Promise<void> {
  checkChannel(channel);
  const bytes = Buffer.byteLength(payload);
  if (bytes > MAX_NOTIFY_PAYLOAD_BYTES) {
    throw new Error(
      `Notification payload on ${channel} is ${bytes} bytes; the limit is ${MAX_NOTIFY_PAYLOAD_BYTES}. Send an id and let listeners read the rest.`,
    );
  }
  await tx.execute(sql`select pg_notify(${channel}, ${payload})`);
}

function checkChannel(channel: string) {
  const bytes = Buffer.byteLength(channel);
  if (bytes === 0 || bytes > 63) throw new Error(`A channel name has 1 to 63 bytes: "${channel}".`);
}

/** The channel as a quoted identifier, so its case and characters are kept. */
const ident = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

/** What a database does when a channel gains its first handler or loses its last. */
type ListenBackend = {
  listen(channel: string): Promise<void>;
  unlisten(channel: string): Promise<void>;
  close(): Promise<void>;
};

type Subscription = { handler: NotificationHandler; onReconnect: (() => void) | undefined };

/**
 * The handlers of every channel of one database: one LISTEN per channel however many handlers it
 * has. LISTEN, UNLISTEN and reconnects run one at a time, in the order they were asked for.
 */
export class Listeners {
  private channels = new Map<string, Set<Subscription>>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  backend: ListenBackend | undefined;

  /** Adds a handler to a channel; resolves once the database listens on it. */
  listen(channel: string, handler: NotificationHandler, options: ListenOptions = {}): Promise<Unlisten> {
    return this.serial(async () => {
      checkChannel(channel);
      if (this.closed) throw new Error('The database is closed.');
      let subs = this.channels.get(channel);
      if (!subs) {
        await this.backend!.listen(channel);
        subs = new Set();
        this.channels.set(channel, subs);
      }
      const sub: Subscription = { handler, onReconnect: options.onReconnect };
      subs.add(sub);
      let done = false;
      return () =>
        this.serial(async () => {
          if (done) return;
          done = true;
          subs.delete(sub);
          if (subs.size === 0 && this.channels.get(channel) === subs && !this.closed) {
            this.channels.delete(channel);
            await this.backend!.unlisten(channel);
          }
        });
    });
  }

  /** Hands a notification to the channel's handlers; a handler that throws does not stop the others. */
  dispatch(channel: string, payload: string) {
    for (const sub of this.channels.get(channel) ?? []) {
      try {
        sub.handler(payload);
      } catch (error) {
        console.error(`[listen] handler for ${channel} failed:`, error);
      }
    }
  }

  reconnected() {
    for (const subs of this.channels.values()) for (const sub of subs) sub.onReconnect?.();
  }

  channelNames(): string[] {
    return [...this.channels.keys()];
  }

  /** Runs `task` after every earlier LISTEN, UNLISTEN or reconnect has finished. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => {});
    return result;
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      this.channels.clear();
      await this.backend?.close();
    });
  }
}

/** Listening on the embedded database: PGlite delivers notifications of its own connection. */
export function pgliteListeners(client: PGlite): Listeners {
  const listeners = new Listeners();
  const callbacks = new Map<string, (payload: string) => void>();
  listeners.backend = {
    async listen(channel) {
      const callback = (payload: string) => listeners.dispatch(channel, payload);
      await client.listen(ident(channel), callback);
      callbacks.set(channel, callback);
    },
    async unlisten(channel) {
      await client.unlisten(ident(channel), callbacks.get(channel));
      callbacks.delete(channel);
    },
    async close() {},
  };
  return listeners;
}

export type ServerListenOptions = {
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** First and longest wait before reconnecting after the connection dropped. */
  retryMs?: number;
  maxRetryMs?: number;
};

/**
 * Listening on a PostgreSQL server: one dedicated connection (outside the pool) for all channels,
 * opened with the first `listen`. When it drops, it reconnects with growing waits, listens on
 * every channel again and calls the handlers' `onReconnect`.
 */
export function serverListeners(url: string, options: ServerListenOptions = {}): Listeners {
  const listeners = new Listeners();
  const minWait = options.retryMs ?? 250;
  const maxWait = options.maxRetryMs ?? 30_000;
  let client: pg.Client | undefined;
  let reconnecting: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: url,
      application_name: options.applicationName ?? 'casebook-listen',
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    c.on('notification', (msg) => listeners.dispatch(msg.channel, msg.payload ?? ''));
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      for (const channel of listeners.channelNames()) await c.query(`LISTEN ${ident(channel)}`);
    } catch (error) {
      c.end().catch(() => {});
      throw error;
    }
    client = c;
    return c;
  }

  function lost(c: pg.Client) {
    if (c !== client) return;
    client = undefined;
    c.end().catch(() => {});
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (closed || reconnecting) return;
    const wait = Math.min(maxWait, minWait * 2 ** failures);
    reconnecting = setTimeout(() => {
      listeners
        .serial(async () => {
          reconnecting = undefined;
          if (closed || client) return;
          await connect();
          failures = 0;
          listeners.reconnected();
        })
        .catch(() => {
          failures += 1;
          scheduleReconnect();
        });
    }, wait);
    reconnecting.unref();
  }

  listeners.backend = {
    async listen(channel) {
      // While reconnecting, the channel is listened on when the connection is back.
      if (!client && reconnecting) return;
      const c = client ?? (await connect());
      try {
        await c.query(`LISTEN ${ident(channel)}`);
      } catch (error) {
        // A refusal by the server is the caller's; a dropped connection is ours to restore.
        if (pgErrorCode(error)) throw error;
        lost(c);
      }
    },
    async unlisten(channel) {
      await client?.query(`UNLISTEN ${ident(channel)}`).catch(() => {});
    },
    async close() {
      closed = true;
      clearTimeout(reconnecting);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
  return listeners;
}

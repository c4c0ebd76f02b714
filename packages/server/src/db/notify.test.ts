import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { waitFor } from '../jobs/testing';
import { testDatabase } from '../test/db';
import { MAX_NOTIFY_PAYLOAD_BYTES, notify, serverListeners } from './notify';

const channelName = () => `test_${randomBytes(5).toString('hex')}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('listen and notify', () => {
  it('delivers committed notifications to every handler of the channel, none after a rollback', async () => {
    const database = await testDatabase();
    const a = channelName();
    const b = `${channelName()}_MixedCase`;
    const heard: string[] = [];
    const stopA1 = await database.listen(a, (p) => heard.push(`a1:${p}`));
    const stopA2 = await database.listen(a, (p) => heard.push(`a2:${p}`));
    const stopB = await database.listen(b, (p) => heard.push(`b:${p}`));

    await database.db.transaction(async (tx) => {
      await notify(tx, a, 'one');
      await notify(tx, b, 'two');
      await pause(50);
      expect(heard).toEqual([]);
    });
    await expect(
      database.db.transaction(async (tx) => {
        await notify(tx, a, 'rolled back');
        tx.rollback();
      }),
    ).rejects.toThrow();
    await waitFor(() => heard.length === 3);
    expect(heard.sort()).toEqual(['a1:one', 'a2:one', 'b:two']);

    await stopA1();
    await stopA1();
    heard.length = 0;
    await notify(database.db, a, 'three');
    await waitFor(() => heard.length === 1);
    expect(heard).toEqual(['a2:three']);

    await stopA2();
    await stopB();
    heard.length = 0;
    await notify(database.db, a, 'four');
    await notify(database.db, b, 'five');
    await pause(100);
    expect(heard).toEqual([]);
  });

  it('keeps a handler that throws from stopping the others', async () => {
    const database = await testDatabase();
    const channel = channelName();
    const heard: string[] = [];
    const stops = [
      await database.listen(channel, () => {
        throw new Error('broken handler');
      }),
      await database.listen(channel, (p) => heard.push(p)),
    ];
    const error = console.error;
    console.error = () => {};
    try {
      await notify(database.db, channel, 'x');
      await waitFor(() => heard.length === 1);
    } finally {
      console.error = error;
      for (const stop of stops) await stop();
    }
  });

  it('refuses payloads over the limit and channel names PostgreSQL would cut', async () => {
    const database = await testDatabase();
    const channel = channelName();
    const heard: string[] = [];
    const stop = await database.listen(channel, (p) => heard.push(p));
    await expect(notify(database.db, channel, 'é'.repeat(MAX_NOTIFY_PAYLOAD_BYTES / 2 + 1))).rejects.toThrow(
      /limit is 7900/,
    );
    await notify(database.db, channel, 'x'.repeat(MAX_NOTIFY_PAYLOAD_BYTES));
    await waitFor(() => heard.length === 1);
    expect(heard[0]).toHaveLength(MAX_NOTIFY_PAYLOAD_BYTES);
    await stop();
    await expect(database.listen('x'.repeat(64), () => {})).rejects.toThrow(/1 to 63 bytes/);
  });
});

describe.runIf(inject('testDatabaseUrl'))('listening on a PostgreSQL server', () => {
  const url = inject('testDatabaseUrl');
  const connections = async (applicationName: string) => {
    const { db } = await testDatabase();
    const result = (await db.execute(
      sql`select pid from pg_stat_activity where application_name = ${applicationName}`,
    )) as unknown as { rows: { pid: number }[] };
    return result.rows.map((r) => r.pid);
  };

  it('uses one connection for all channels, reconnects when it drops and closes with the database', async () => {
    const applicationName = channelName();
    const listeners = serverListeners(url, { applicationName, retryMs: 20 });
    const a = channelName();
    const b = channelName();
    const heard: string[] = [];
    let reconnects = 0;
    await listeners.listen(a, (p) => heard.push(`a:${p}`), { onReconnect: () => reconnects++ });
    await listeners.listen(b, (p) => heard.push(`b:${p}`));
    const [pid, ...others] = await connections(applicationName);
    expect(others).toEqual([]);

    const { db } = await testDatabase();
    await db.execute(sql`select pg_terminate_backend(${pid})`);
    await waitFor(async () => reconnects === 1);
    const [newPid] = await connections(applicationName);
    expect(newPid).not.toBe(pid);

    await notify(db, a, '1');
    await notify(db, b, '2');
    await waitFor(() => heard.length === 2);
    expect(heard.sort()).toEqual(['a:1', 'b:2']);

    await listeners.close();
    await waitFor(async () => (await connections(applicationName)).length === 0);
    await expect(listeners.listen(a, () => {})).rejects.toThrow(/closed/);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../test/db';
import { cancelJobs, enqueue, JOBS_CHANNEL, rescheduleJob } from './queue';
import { jobById, jobsLike, testKind, waitFor } from './testing';

const now = new Date('2030-01-01T09:00:00Z');

describe('enqueue', () => {
  it('writes the job in the caller transaction: a rollback leaves none', async () => {
    const { db } = await testDatabase();
    const kind = testKind();
    await expect(
      db.transaction(async (tx) => {
        expect(await enqueue(tx, { kind, runAt: now }, now)).toEqual({ id: expect.any(Number) });
        tx.rollback();
      }),
    ).rejects.toThrow();
    expect(await jobsLike(db, kind)).toEqual([]);

    await db.transaction((tx) => enqueue(tx, { kind, runAt: now, payload: { a: 1 } }, now));
    const [job] = await jobsLike(db, kind);
    expect(job).toMatchObject({ kind, payload: { a: 1 }, state: 'pending', attempts: 0, maxAttempts: 8 });
    expect(job!.createdAt).toEqual(now);
  });

  it('keeps one pending job per unique key', async () => {
    const { db } = await testDatabase();
    const kind = testKind();
    const uniqueKey = `${kind}:ticket-1`;
    const first = await enqueue(db, { kind, runAt: now, uniqueKey }, now);
    expect(first).not.toBeNull();
    expect(await enqueue(db, { kind, runAt: now, uniqueKey }, now)).toBeNull();
    // Once the first is no longer pending, the key is free again.
    expect(await cancelJobs(db, { uniqueKey }, now)).toBe(1);
    const second = await enqueue(db, { kind, runAt: now, uniqueKey }, now);
    expect(second!.id).not.toBe(first!.id);
    expect((await jobById(db, first!.id)).state).toBe('canceled');
  });

  it('notifies workers on commit when the job is due, not for later jobs or rollbacks', async () => {
    const database = await testDatabase();
    const kind = testKind();
    const heard: string[] = [];
    const unlisten = await database.listen(JOBS_CHANNEL, (payload) => {
      if (payload.startsWith(kind)) heard.push(payload);
    });
    try {
      await database.db.transaction(async (tx) => {
        await enqueue(tx, { kind: `${kind}.later`, runAt: new Date(now.getTime() + 60_000) }, now);
        await enqueue(tx, { kind: `${kind}.now`, runAt: now }, now);
        expect(heard).toEqual([]);
      });
      await expect(
        database.db.transaction(async (tx) => {
          await enqueue(tx, { kind: `${kind}.rolledback`, runAt: now }, now);
          tx.rollback();
        }),
      ).rejects.toThrow();
      await enqueue(database.db, { kind: `${kind}.after`, runAt: now }, now);
      await waitFor(() => heard.length === 2);
      expect(heard).toEqual([`${kind}.now`, `${kind}.after`]);
    } finally {
      await unlisten();
    }
  });
});

describe('cancelJobs and rescheduleJob', () => {
  it('cancels the pending jobs of a brand and kind, optionally by payload', async () => {
    const { db } = await testDatabase();
    const kind = testKind();
    const brandId = randomUUID();
    const other = randomUUID();
    const a = await enqueue(db, { kind, brandId, runAt: now, payload: { ticketId: 't1', rule: 'x' } }, now);
    const b = await enqueue(db, { kind, brandId, runAt: now, payload: { ticketId: 't2' } }, now);
    const c = await enqueue(db, { kind, brandId: other, runAt: now, payload: { ticketId: 't1' } }, now);

    expect(await cancelJobs(db, { brandId, kind, payloadMatch: { ticketId: 't1' } }, now)).toBe(1);
    expect((await jobById(db, a!.id)).state).toBe('canceled');
    expect((await jobById(db, a!.id)).finishedAt).toEqual(now);
    expect((await jobById(db, b!.id)).state).toBe('pending');
    expect(await cancelJobs(db, { brandId, kind })).toBe(1);
    expect((await jobById(db, b!.id)).state).toBe('canceled');
    expect((await jobById(db, c!.id)).state).toBe('pending');
    expect(await cancelJobs(db, { brandId, kind })).toBe(0);
  });

  it('moves the pending job of a key', async () => {
    const { db } = await testDatabase();
    const kind = testKind();
    const job = await enqueue(db, { kind, uniqueKey: kind, runAt: now }, now);
    const later = new Date(now.getTime() + 3_600_000);
    expect(await rescheduleJob(db, kind, later)).toBe(true);
    expect((await jobById(db, job!.id)).runAt).toEqual(later);
    expect(await rescheduleJob(db, `${kind}.missing`, later)).toBe(false);
  });
});

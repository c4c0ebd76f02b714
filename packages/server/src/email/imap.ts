import { eq, isNotNull } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { mailSettings } from '../db/schema';
import { defineJob } from '../jobs/define';
import { enqueue } from '../jobs/queue';
import { ingestEmail } from './ingest';
import { UnreadableEmailError } from './parse';

/** A brand's mailbox as `mail_settings.imap` stores it. */
export type ImapSettings = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
};

export type PollResult = { unseen: number; stored: number; duplicates: number; unreadable: number };

/** Messages one poll takes at most; the rest wait for the next minute. */
const BATCH = 200;

/**
 * Reads a brand's unseen mail from its IMAP mailbox and ingests each message (via 'imap'). A
 * message is marked \Seen only after its transaction committed, so a crash or a database failure
 * leaves it unseen for the next poll, where a repeat is recognised as a duplicate. A message that
 * cannot be parsed is marked \Seen and \Flagged so it does not come back every minute.
 */
export async function pollMailbox(deps: Deps, brandId: string): Promise<PollResult> {
  const result: PollResult = { unseen: 0, stored: 0, duplicates: 0, unreadable: 0 };
  const [settings] = await deps.database.db
    .select()
    .from(mailSettings)
    .where(eq(mailSettings.brandId, brandId));
  const imap = settings?.imap as ImapSettings | null | undefined;
  if (!settings || !imap) return result;
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(imap.mailbox || 'INBOX');
    try {
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      result.unseen = uids.length;
      for (const uid of uids.slice(0, BATCH)) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        const source = message ? message.source : undefined;
        if (!source) continue;
        try {
          const { outcome } = await ingestEmail(deps, source, { to: [settings.address] }, 'imap');
          if (outcome === 'no_brand') continue;
          result[outcome === 'stored' ? 'stored' : 'duplicates'] += 1;
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        } catch (error) {
          if (!(error instanceof UnreadableEmailError)) throw error;
          result.unreadable += 1;
          await client.messageFlagsAdd(String(uid), ['\\Seen', '\\Flagged'], { uid: true });
        }
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}

/** Enqueues one `imap.poll` per brand with a mailbox, unless one is still pending. */
export async function scheduleImapPolls(tx: Queryable, now: Date): Promise<number> {
  const rows = await tx
    .select({ brandId: mailSettings.brandId })
    .from(mailSettings)
    .where(isNotNull(mailSettings.imap));
  let queued = 0;
  for (const { brandId } of rows) {
    const job = await enqueue(
      tx,
      { kind: 'imap.poll', brandId, payload: { brandId }, runAt: now, uniqueKey: `imap:${brandId}` },
      now,
    );
    if (job) queued += 1;
  }
  return queued;
}

/** Every minute: a poll for each brand's mailbox. */
export const imapScheduleJob = defineJob('imap.schedule', {
  mode: 'transaction',
  every: 60_000,
  async run({ tx, now }) {
    await scheduleImapPolls(tx, now);
  },
});

/** Polls one brand's mailbox; a failed poll is tried again a minute later. */
export const imapPollJob = defineJob<{ brandId: string }>('imap.poll', {
  mode: 'lease',
  leaseMs: 10 * 60_000,
  backoff: () => 60_000,
  parse(payload) {
    const brandId = (payload as { brandId?: unknown }).brandId;
    if (typeof brandId !== 'string') throw new Error('brandId: must be a string');
    return { brandId };
  },
  async run({ deps, payload }) {
    await pollMailbox(deps, payload.brandId);
  },
});

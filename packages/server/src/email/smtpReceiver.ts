import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Deps } from '../context';
import { mailSettings } from '../db/schema';
import { baseAddress } from './addresses';
import { type Envelope, ingestEmail } from './ingest';
import { UnreadableEmailError } from './parse';

/** The largest message accepted (25 MB, the common limit of mail providers). */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** How long the list of receiving addresses is trusted before it is read again. */
const ADDRESS_CACHE_MS = 10_000;
/** An unknown address re-reads the list if it is older than this, so a new brand is not refused. */
const MISS_REFRESH_MS = 1_000;

export type SmtpReceiver = { port: number; close(): Promise<void> };

type ReceiverOptions = {
  host?: string;
  port?: number;
  /** Told about mails that could not be stored (default console.error); the sender retries them. */
  onError?: (error: unknown) => void;
};

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * The built-in inbound mail server (no AUTH, no TLS: put it behind the MTA that receives for the
 * brands' domains). Recipients no brand receives at are refused at RCPT TO with 550; a message is
 * acknowledged only once `ingestEmail` has committed it, and a failure to store it is answered
 * with 451 so the sending server tries again later.
 */
export async function startSmtpReceiver(deps: Deps, options: ReceiverOptions = {}): Promise<SmtpReceiver> {
  const onError =
    options.onError ?? ((error: unknown) => console.error('[smtp] could not store a message:', error));
  let cache: { at: number; addresses: Set<string> } | undefined;
  async function load() {
    const rows = await deps.database.db.select({ address: mailSettings.address }).from(mailSettings);
    cache = { at: Date.now(), addresses: new Set(rows.map((r) => r.address.toLowerCase())) };
    return cache.addresses;
  }
  async function receives(address: string): Promise<boolean> {
    const base = baseAddress(address);
    const age = cache ? Date.now() - cache.at : Number.POSITIVE_INFINITY;
    if (cache && age <= ADDRESS_CACHE_MS && (cache.addresses.has(base) || age <= MISS_REFRESH_MS)) {
      return cache.addresses.has(base);
    }
    return (await load()).has(base);
  }

  const server = new SMTPServer({
    name: deps.config.mailDomain,
    banner: 'Casebook',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 5_000,
    onRcptTo(address, _session, callback) {
      receives(address.address).then(
        (ok) => callback(ok ? undefined : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (error: unknown) => {
          onError(error);
          callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      // The envelope belongs to the session and is reset once the stream ends: read it now.
      const envelope: Envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, `5.3.4 Message larger than ${MAX_MESSAGE_BYTES} bytes`));
          return;
        }
        ingestEmail(deps, Buffer.concat(chunks), envelope, 'smtp').then(
          (result) =>
            callback(
              result.outcome === 'no_brand' ? smtpError(550, '5.1.1 No recipient here') : null,
              `Queued as ${result.messageId ?? 'duplicate'}`,
            ),
          (error: unknown) => {
            if (error instanceof UnreadableEmailError)
              return callback(smtpError(554, `5.6.0 ${error.message}`));
            onError(error);
            callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
          },
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => onError(error));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : (options.port ?? 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

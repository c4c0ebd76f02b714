import path from 'node:path';
import { z } from 'zod';

/** The secret that development uses when none is set. Production refuses to start with it. */
export const DEV_SECRET = 'casebook-development-secret-do-not-use-in-production';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  CASEBOOK_DATA_DIR: z.string().default('./data'),
  CASEBOOK_SECRET: z.string().optional(),
  CASEBOOK_DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  CASEBOOK_SECURE_COOKIES: z.enum(['0', '1', 'true', 'false']).optional(),
  CASEBOOK_PACKS_DIR: z.string().optional(),
  CASEBOOK_WEB_DIR: z.string().optional(),
  CASEBOOK_TRUST_PROXY: z.string().optional(),
  SMTP_URL: z.string().optional(),
  CASEBOOK_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CASEBOOK_SMTP_HOST: z.string().optional(),
  CASEBOOK_MAIL_DOMAIN: z.string().optional(),
  CASEBOOK_WORKER: z.enum(['0', '1', 'true', 'false']).optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** A PostgreSQL server URL, or undefined for the embedded database under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  secret: string;
  /** Create the demo brands and users on first start with an empty database. */
  demo: boolean;
  secureCookies: boolean;
  packsDir: string;
  webDir: string;
  /**
   * Whether to take the client address from X-Forwarded-For: false (default), true (any proxy),
   * or a comma-separated list of proxy addresses or CIDR ranges. Login rate limits use that address.
   */
  trustProxy: boolean | string;
  /** Outbound mail server (`smtp://user:pass@host:587`); without it, outbound mail is kept in the local mailbox. */
  smtpUrl: string | undefined;
  /** Port of the built-in SMTP receiver for inbound mail, or undefined when it is off. */
  smtpPort: number | undefined;
  smtpHost: string;
  /** The domain of reply addresses (`support+<token>@<domain>`) when a brand sets none. */
  mailDomain: string;
  /** Run the background worker (jobs: timers, email, webhooks) in this process. */
  worker: boolean;
};

export class ConfigError extends Error {}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

const truthy = (v: string | undefined) => v === '1' || v === 'true';

/**
 * Reads the configuration from the environment. In production a missing, default or short
 * `CASEBOOK_SECRET` is refused, because sessions and API tokens are keyed by it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    if (!e.CASEBOOK_SECRET) throw new ConfigError('CASEBOOK_SECRET must be set in production.');
    if (e.CASEBOOK_SECRET === DEV_SECRET || e.CASEBOOK_SECRET.length < 32) {
      throw new ConfigError(
        'CASEBOOK_SECRET must be a random value of at least 32 characters in production (not the development default).',
      );
    }
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: path.resolve(e.CASEBOOK_DATA_DIR),
    secret: e.CASEBOOK_SECRET ?? DEV_SECRET,
    demo: e.CASEBOOK_DEMO === undefined ? !production : truthy(e.CASEBOOK_DEMO),
    secureCookies: e.CASEBOOK_SECURE_COOKIES === undefined ? production : truthy(e.CASEBOOK_SECURE_COOKIES),
    packsDir: path.resolve(e.CASEBOOK_PACKS_DIR ?? path.join(repoRoot, 'packs')),
    webDir: path.resolve(e.CASEBOOK_WEB_DIR ?? path.join(repoRoot, 'packages/web/dist')),
    trustProxy: parseTrustProxy(e.CASEBOOK_TRUST_PROXY),
    smtpUrl: e.SMTP_URL || undefined,
    // The receiver is on by default in development (port 2525) and off in production and tests
    // unless a port is configured.
    smtpPort: e.CASEBOOK_SMTP_PORT ?? (e.NODE_ENV === 'development' ? 2525 : undefined),
    smtpHost: e.CASEBOOK_SMTP_HOST ?? e.HOST,
    mailDomain: e.CASEBOOK_MAIL_DOMAIN ?? 'casebook.localhost',
    worker: e.CASEBOOK_WORKER === undefined ? e.NODE_ENV !== 'test' : truthy(e.CASEBOOK_WORKER),
  };
}

function parseTrustProxy(value: string | undefined): boolean | string {
  if (!value || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  return value;
}

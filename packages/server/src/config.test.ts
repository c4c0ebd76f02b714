import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_SECRET, loadConfig } from './config';

describe('configuration', () => {
  it('refuses to start in production without a secret, with the default one, or with a short one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CASEBOOK_SECRET must be set/);
    expect(() => loadConfig({ NODE_ENV: 'production', CASEBOOK_SECRET: DEV_SECRET })).toThrow(
      /development default/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', CASEBOOK_SECRET: 'short' })).toThrow(
      /at least 32 characters/,
    );
  });

  it('starts in production with a proper secret, without the demo and with secure cookies', () => {
    const config = loadConfig({ NODE_ENV: 'production', CASEBOOK_SECRET: 'x'.repeat(40) });
    expect(config.demo).toBe(false);
    expect(config.secureCookies).toBe(true);
  });

  it('uses the embedded database under ./data unless DATABASE_URL is set', () => {
    const embedded = loadConfig({});
    expect(embedded.databaseUrl).toBeUndefined();
    expect(embedded.dataDir).toMatch(/\/data$/);
    expect(embedded.demo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }).databaseUrl).toBe('postgres://localhost/x');
    expect(loadConfig({ CASEBOOK_DEMO: '0' }).demo).toBe(false);
  });

  it('names the variable when a value is malformed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT: /);
  });
});

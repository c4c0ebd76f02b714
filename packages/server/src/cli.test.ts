import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const run = promisify(execFile);
const bin = path.join(import.meta.dirname, '../bin/casebook.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the real CLI as a newcomer would, returning its exit code and output. */
async function casebook(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: '', CASEBOOK_DATA_DIR: path.join(tmp, 'data'), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('casebook CLI', () => {
  it('prints help', async () => {
    const res = await casebook(['help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('packs validate [DIR]');
  });

  it('asks the SOP of a pack and prints the ranked rules as JSON', async () => {
    const res = await casebook([
      'ask',
      '--pack',
      'marketplace-dropship',
      '--limit',
      '3',
      'vendor says an item is out of stock',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const answers = JSON.parse(res.stdout);
    expect(answers).toHaveLength(3);
    expect(Object.keys(answers[0]).sort()).toEqual([
      'answer',
      'macros',
      'processes',
      'rule',
      'source',
      'title',
    ]);
    expect(answers.map((a: { rule: string }) => a.rule)).toContain('oos.om-process');
    const missing = await casebook(['ask', '--pack', 'no-such-pack', 'anything']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no pack "no-such-pack"');
  });

  it('validates the shipped packs', async () => {
    const res = await casebook(['packs', 'validate']);
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(5);
  });

  it('refuses a broken pack folder with the file, line and problem, exit code 2', async () => {
    const dir = path.join(tmp, 'packs');
    fs.cpSync(loadConfig({}).packsDir, dir, { recursive: true });
    const file = path.join(dir, 'fashion-leads/pack.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^version: .*$/m, 'version: latest'));
    const res = await casebook(['packs', 'validate', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('fashion-leads/pack.yaml:3 at version: must be a semantic version');
  });

  it('migrates and adds a user with a role in a brand', { timeout: 90_000 }, async () => {
    const migrate = await casebook(['migrate']);
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/Migrations applied: (\d+)\/\1/);
    const seed = await casebook(['seed', '--demo']);
    expect(seed.stdout).toContain('Demo: 5 brands, 9 accounts');
    const add = await casebook([
      'user',
      'add',
      '--email',
      'cli@example.com',
      '--name',
      'Cli Person',
      '--password',
      'a long password',
      '--brand',
      'trade-in',
      '--role',
      'ops',
    ]);
    expect(add.stdout).toContain('Created cli@example.com with role ops in trade-in.');
    const dup = await casebook([
      'user',
      'add',
      '--email',
      'cli@example.com',
      '--name',
      'Again',
      '--password',
      'a long password',
    ]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('email: an account with cli@example.com already exists.');
    const badRole = await casebook([
      'user',
      'add',
      '--email',
      'cli2@example.com',
      '--name',
      'X',
      '--password',
      'a long password',
      '--brand',
      'trade-in',
      '--role',
      'wizard',
    ]);
    expect(badRole.stderr).toContain('--role: "wizard" is not a role of this brand');
  });

  it('refuses to serve in production with the default secret', async () => {
    const res = await casebook(['serve'], { NODE_ENV: 'production', CASEBOOK_SECRET: '' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('CASEBOOK_SECRET must be set in production.');
  });
});

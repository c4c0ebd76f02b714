import { describe, expect, it } from 'vitest';
import { loadPack } from './load';

const valid = `id: demo-pack
name: Demo
version: 1.0.0
description: A pack for tests.
source: seed.txt
roles:
  agent:
    title: Agent
  admin:
    title: Admin
    capabilities: [audit.read]
`;

describe('loadPack', () => {
  it('loads a valid manifest with defaults filled in', () => {
    const result = loadPack([{ path: 'demo-pack/pack.yaml', text: valid }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pack.manifest.roles.agent).toEqual({ title: 'Agent', external: false, capabilities: [] });
    expect(result.pack.manifest.roles.admin!.capabilities).toEqual(['audit.read']);
  });

  it('refuses an unknown capability with the file, the path and the line', () => {
    const text = valid.replace('[audit.read]', '[audit.read, fly.to.moon]');
    const result = loadPack([{ path: 'demo-pack/pack.yaml', text }]);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ file: 'demo-pack/pack.yaml', path: 'roles.admin.capabilities.1', line: 11 }],
    });
  });

  it('refuses an unknown key, naming it', () => {
    const result = loadPack([{ path: 'p/pack.yaml', text: `${valid}colour: red\n` }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.message).toContain('colour');
  });

  it('refuses a YAML syntax error with its line', () => {
    const result = loadPack([{ path: 'p/pack.yaml', text: 'id: x\nroles: [unclosed\n' }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.file).toBe('p/pack.yaml');
    expect(result.problems[0]!.line).toBeGreaterThan(0);
  });

  it('requires the agent and admin roles and a semantic version', () => {
    const text = valid
      .replace('version: 1.0.0', 'version: one')
      .replace(/ {2}agent:\n {4}title: Agent\n/, '');
    const result = loadPack([{ path: 'p/pack.yaml', text }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContain('version: must be a semantic version such as 1.0.0');
    expect(messages).toContain('roles: a pack must define an agent role');
  });

  it('refuses a pack without pack.yaml', () => {
    expect(loadPack([])).toMatchObject({ ok: false, problems: [{ message: 'the pack has no pack.yaml' }] });
  });
});

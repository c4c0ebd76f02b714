import { describe, expect, it } from 'vitest';
import { loadPack } from '../packs/load';

const pack = `id: demo-pack
name: Demo
version: 1.0.0
description: A pack for tests.
source: seed.txt
roles:
  agent:
    title: Agent
  admin:
    title: Admin
channels:
  "#ops":
    description: The team channel.
    templates:
      logged: "Issue #{{number}} on {{sku}}"
    source: test
`;

const trackers = (extra = '', incident = '') => `trackers:
  item_issue:
    title: Item Issue
    fields:
      sku: { type: sku, required: true }
      issue_type: { type: choice, required: true, options: [broken, missing] }
    states: [Logged, Done]
    log: [agent]
    read: [agent, admin]
    resolve: [admin]
${extra}    source: test
  incident:
    title: Incident
    fields:
      sku: { type: sku }
      issue: { type: text, required: true }
    states: [Reported, Closed]
    log: [agent]
    read: [agent]
    resolve: [agent]
${incident}    source: test
`;

const load = (text: string) =>
  loadPack([
    { path: 'p/pack.yaml', text: pack },
    { path: 'p/trackers.yaml', text },
  ]);

describe('tracker types in a pack', () => {
  it('loads notify and trend that name what the pack defines', () => {
    const result = load(
      trackers(
        '    notify: { channel: "#ops", template: logged }\n',
        '    trend: { from: item_issue, match: [sku, issue_type], count: 3, within: P7D, fill: { issue: "{summary}" }, source: test }\n',
      ),
    );
    expect(result.ok).toBe(true);
  });

  it('refuses moves and final states that are not states of the type, with the path and line', () => {
    const result = load(
      trackers(
        '    notify: { channel: "#nowhere", template: logged }\n    transitions: { Logged: [Gone] }\n',
        '    trend: { from: item_issue, match: [colour], count: 3, within: P7D, fill: { severity: high }, source: test }\n',
      ).replace('resolve: [admin]', 'resolve: [admin, agent]\n    final: [Nope]'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.problems.map((p) => `${p.path}: ${p.message}`);
    expect(found).toEqual(
      expect.arrayContaining(['trackers.item_issue.transitions.Logged.0: "Gone" is not one of the states']),
    );
    expect(found).toEqual(
      expect.arrayContaining(['trackers.item_issue.final.0: "Nope" is not one of the states']),
    );
    expect(result.problems.every((p) => p.file === 'p/trackers.yaml' && typeof p.line === 'number')).toBe(
      true,
    );
  });

  it('refuses references the schema cannot check: channel, template, trend type and fields', () => {
    const result = load(
      trackers(
        '    notify: { channel: "#nowhere", template: logged }\n',
        '    trend: { from: item_issue, match: [colour], count: 3, within: P7D, fill: { severity: high }, source: test }\n',
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'trackers.item_issue.notify.channel: "#nowhere" is not a channel defined in the pack',
      'trackers.incident.trend.match.0: "colour" is not a field of item_issue',
      'trackers.incident.trend.fill.severity: "severity" is not a field of incident',
    ]);
  });

  it('requires every role that logs or resolves to be able to read', () => {
    const result = load(
      trackers()
        .replace('resolve: [admin]', 'resolve: [admin, lead]')
        .replace('read: [agent, admin]', 'read: [agent]'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toContain('"admin" must also be in read');
  });
});

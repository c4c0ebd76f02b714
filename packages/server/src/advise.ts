import fs from 'node:fs';
import path from 'node:path';
import { advise, checkExpectations, type Scenario, scenarioSchema, trace } from '@casebook/core';
import type { PackRegistry } from './packs';

/** A scenario file that is not valid: the file and the JSON path of its first problem. */
export class ScenarioFileError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${file}: ${jsonPath || '$'}: ${problem}`);
  }
}

/** Reads and validates one scenario file. */
export function readScenario(file: string, packs: PackRegistry): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioFileError(file, '$', `not valid JSON (${(error as Error).message})`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const jsonPath = `$${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
    const keys = (issue as { keys?: string[] }).keys;
    throw new ScenarioFileError(file, jsonPath, keys ? `unknown field(s) ${keys.join(', ')}` : issue.message);
  }
  if (!packs.get(parsed.data.pack)) {
    const known = packs
      .list()
      .map((p) => p.manifest.id)
      .join(', ');
    throw new ScenarioFileError(file, '$.pack', `"${parsed.data.pack}" is not an installed pack (${known})`);
  }
  return parsed.data;
}

/** Every `*.json` file under the given files and folders, in a stable order. */
export function scenarioFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else if (p.endsWith('.json')) files.push(p);
  };
  for (const p of paths) walk(p);
  return files;
}

export type CheckReport = { passed: number; failed: { file: string; id: string; failures: string[] }[] };

/** Runs every scenario that has an `expect` block and compares the advice with it. */
export function checkScenarios(paths: string[], packs: PackRegistry): CheckReport {
  const report: CheckReport = { passed: 0, failed: [] };
  for (const file of scenarioFiles(paths)) {
    const scenario = readScenario(file, packs);
    if (!scenario.expect) continue;
    const result = advise(packs.get(scenario.pack)!, scenario);
    const failures = checkExpectations(scenario.expect, result);
    if (failures.length === 0) report.passed++;
    else report.failed.push({ file, id: scenario.id, failures });
  }
  return report;
}

export type RuleCoverage = { pack: string; rule: string; fires: string[]; silent: string[] };

/**
 * Every rule of every pack with the scenarios that exercise it: those where it fires and those
 * where it must not and does not: its playbook ran and its condition was false, or a case of the
 * playbook's intent went to another playbook.
 * A guardrail fires when it stops an advised status change and is silent when it lets one through.
 */
export function ruleCoverage(paths: string[], packs: PackRegistry): RuleCoverage[] {
  const rows = new Map<string, RuleCoverage>();
  const key = (pack: string, rule: string) => `${pack}\u0000${rule}`;
  for (const pack of packs.list()) {
    const id = pack.manifest.id;
    for (const playbook of Object.values(pack.manifest.playbooks)) {
      for (const step of playbook.steps)
        rows.set(key(id, step.rule), { pack: id, rule: step.rule, fires: [], silent: [] });
    }
    for (const g of pack.manifest.purchaseOrders?.guardrails ?? []) {
      rows.set(key(id, g.rule), { pack: id, rule: g.rule, fires: [], silent: [] });
    }
  }
  for (const file of scenarioFiles(paths)) {
    const scenario = readScenario(file, packs);
    const pack = packs.get(scenario.pack)!;
    const { result, applied } = trace(pack, scenario);
    const fired = new Set(applied);
    // A case of a playbook's intent that went to another playbook is one where its rules must not fire.
    for (const [id, playbook] of Object.entries(pack.manifest.playbooks)) {
      const chosen = result.playbook?.id === id;
      if (!chosen && !playbook.intents.includes(result.intent.name)) continue;
      for (const step of playbook.steps) {
        const row = rows.get(key(pack.manifest.id, step.rule));
        row?.[chosen && fired.has(step.rule) ? 'fires' : 'silent'].push(scenario.id);
      }
    }
    for (const g of pack.manifest.purchaseOrders?.guardrails ?? []) {
      const row = rows.get(key(pack.manifest.id, g.rule))!;
      if (fired.has(g.rule)) row.fires.push(scenario.id);
      else if (result.actions.some((a) => a.type === 'set_po_status' && a.status === g.to))
        row.silent.push(scenario.id);
    }
  }
  return [...rows.values()];
}

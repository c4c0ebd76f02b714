import type { PackDefinition } from '../packs/schema';

/**
 * What in a pack's approvals, boards, channels and timers names something the pack does not
 * define: a follow-on's channel, template, board, column or approval type, a board's timer or
 * condition, a step's states, a role. Each problem has its path in the pack, as the loader's do.
 */
export function workflowProblems(pack: PackDefinition): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const roles = new Set(Object.keys(pack.roles));
  const post = (path: string, p: { channel: string; template: string }) => {
    const channel = pack.channels[p.channel];
    if (!channel) add(`${path}.channel`, `"${p.channel}" is not a channel of the pack`);
    else if (!Object.hasOwn(channel.templates, p.template))
      add(`${path}.template`, `"${p.template}" is not a template of channel "${p.channel}"`);
  };
  const roleList = (path: string, list: readonly string[] | undefined) => {
    for (const [i, r] of (list ?? []).entries())
      if (!roles.has(r)) add(`${path}.${i}`, `"${r}" is not a role of the pack`);
  };
  for (const [name, c] of Object.entries(pack.channels)) roleList(`channels.${name}.notify`, c.notify);
  for (const [name, a] of Object.entries(pack.approvals)) {
    const base = `approvals.${name}`;
    roleList(`${base}.request`, a.request);
    roleList(`${base}.decide`, a.decide);
    roleList(`${base}.view`, a.view);
    for (const [i, s] of (a.open ?? []).entries())
      if (!a.states.includes(s)) add(`${base}.open.${i}`, `"${s}" is not a state of ${name}`);
    for (const [i, f] of (a.dedupe ?? []).entries())
      if (!Object.hasOwn(a.fields, f)) add(`${base}.dedupe.${i}`, `"${f}" is not a field of ${name}`);
    if (a.pool?.post) post(`${base}.pool.post`, a.pool.post);
    for (const [stepName, step] of Object.entries(a.steps ?? {})) {
      const at = `${base}.steps.${stepName}`;
      roleList(`${at}.by`, step.by);
      for (const [i, s] of step.from.entries())
        if (!a.states.includes(s)) add(`${at}.from.${i}`, `"${s}" is not a state of ${name}`);
      if (!a.states.includes(step.to)) add(`${at}.to`, `"${step.to}" is not a state of ${name}`);
      for (const [i, then] of step.then.entries()) {
        const p = `${at}.then.${i}`;
        if ('post' in then) post(`${p}.post`, then.post);
        else if ('request' in then) {
          const target = pack.approvals[then.request];
          if (!target) add(`${p}.request`, `"${then.request}" is not an approval type of the pack`);
          else
            for (const f of Object.keys(then.fields))
              if (!Object.hasOwn(target.fields, f))
                add(`${p}.fields.${f}`, `"${f}" is not a field of ${then.request}`);
        } else if ('logRecord' in then) {
          const tracker = pack.trackers[then.logRecord.tracker];
          if (!tracker)
            add(`${p}.logRecord.tracker`, `"${then.logRecord.tracker}" is not a tracker of the pack`);
          else
            for (const f of Object.keys(then.logRecord.fields))
              if (!Object.hasOwn(tracker.fields, f))
                add(`${p}.logRecord.fields.${f}`, `"${f}" is not a field of ${then.logRecord.tracker}`);
        } else if ('moveCard' in then) {
          const board = pack.boards[then.moveCard.board];
          if (!board) add(`${p}.moveCard.board`, `"${then.moveCard.board}" is not a board of the pack`);
          else if (!board.columns.includes(then.moveCard.column))
            add(
              `${p}.moveCard.column`,
              `"${then.moveCard.column}" is not a column of ${then.moveCard.board}`,
            );
        }
      }
    }
  }
  if (pack.cancellation) {
    const { approval, field, states } = pack.cancellation.exception;
    const at = 'cancellation.exception';
    const type = pack.approvals[approval];
    if (!type) add(`${at}.approval`, `"${approval}" is not an approval type of the pack`);
    else {
      if (!Object.hasOwn(type.fields, field)) add(`${at}.field`, `"${field}" is not a field of ${approval}`);
      for (const [i, s] of states.entries())
        if (!type.states.includes(s)) add(`${at}.states.${i}`, `"${s}" is not a state of ${approval}`);
    }
  }
  for (const [id, board] of Object.entries(pack.boards)) {
    for (const [column, cond] of Object.entries(board.enter)) {
      const at = `boards.${id}.enter.${column}`;
      if (!board.columns.includes(column)) add(at, `"${column}" is not a column of ${id}`);
      const type = pack.approvals[cond.approval];
      if (!type) add(`${at}.approval`, `"${cond.approval}" is not an approval type of the pack`);
      else
        for (const [i, s] of cond.states.entries())
          if (!type.states.includes(s)) add(`${at}.states.${i}`, `"${s}" is not a state of ${cond.approval}`);
    }
    for (const [column, rule] of Object.entries(board.timers)) {
      const at = `boards.${id}.timers.${column}`;
      if (!board.columns.includes(column)) add(at, `"${column}" is not a column of ${id}`);
      for (const key of ['timer', 'then'] as const) {
        const timer = rule[key];
        if (timer && !Object.hasOwn(pack.timers, timer))
          add(`${at}.${key}`, `"${timer}" is not a timer of the pack`);
      }
      if (rule.reply && !Object.hasOwn(pack.macros, rule.reply.macro))
        add(`${at}.reply.macro`, `"${rule.reply.macro}" is not a macro of the pack`);
      if (rule.post) post(`${at}.post`, rule.post);
      if (rule.thenPost) post(`${at}.thenPost`, rule.thenPost);
    }
  }
  return problems;
}

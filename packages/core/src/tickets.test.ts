import { describe, expect, it } from 'vitest';
import { loadPack } from './packs/load';
import { fixtureFiles, fixturePack } from './test/fixturePack';
import { DEFAULT_TICKET_STATUSES, STATUS_CATEGORIES, ticketWorkflow } from './tickets';

const custom = `tickets:
  statuses:
    new: { title: New, category: open }
    working: { title: Working on it, category: open }
    waiting: { title: Waiting on customer, category: pending }
    done: { title: Done, category: solved, description: The customer has an answer. }
    archived: { title: Archived, category: closed }
`;

/** Loads the fixture pack with a tickets.yaml, and returns its problems. */
function ticketProblems(text: string) {
  const result = loadPack(fixtureFiles({ 'tickets.yaml': text }));
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('ticket workflow of a pack without a tickets section', () => {
  const workflow = ticketWorkflow(fixturePack());

  it('uses the default statuses, in order, starting open', () => {
    expect(workflow.statuses.map((s) => [s.name, s.title, s.category])).toEqual([
      ['open', 'Open', 'open'],
      ['pending', 'Pending on customer', 'pending'],
      ['on_hold_vendor', 'On hold – waiting for vendor', 'on_hold'],
      ['on_hold_supplier', 'On hold – waiting for supplier', 'on_hold'],
      ['solved', 'Solved', 'solved'],
      ['closed', 'Closed', 'closed'],
    ]);
    expect(Object.keys(DEFAULT_TICKET_STATUSES)).toEqual(workflow.statuses.map((s) => s.name));
    expect(workflow.initial).toBe('open');
    expect(workflow.category('on_hold_supplier')).toBe('on_hold');
    expect(workflow.category('nope')).toBeUndefined();
    expect(workflow.firstOf('on_hold')).toBe('on_hold_vendor');
  });

  it('lets any status that is not closed move to any other that is not closed', () => {
    expect(workflow.next('open')).toEqual(['pending', 'on_hold_vendor', 'on_hold_supplier', 'solved']);
    expect(workflow.canMove('on_hold_vendor', 'on_hold_supplier')).toBe(true);
    expect(workflow.canMove('solved', 'open')).toBe(true);
    expect(workflow.canMove('pending', 'solved')).toBe(true);
    expect(workflow.canMove('open', 'open')).toBe(false);
  });

  it('reaches closed only from solved, and never leaves closed', () => {
    for (const from of ['open', 'pending', 'on_hold_vendor', 'on_hold_supplier'])
      expect(workflow.canMove(from, 'closed')).toBe(false);
    expect(workflow.canMove('solved', 'closed')).toBe(true);
    expect(workflow.next('solved')).toEqual([
      'open',
      'pending',
      'on_hold_vendor',
      'on_hold_supplier',
      'closed',
    ]);
    expect(workflow.next('closed')).toEqual([]);
    expect(workflow.canMove('closed', 'open')).toBe(false);
  });

  it('answers nothing for unknown statuses', () => {
    expect(workflow.next('lost')).toEqual([]);
    expect(workflow.canMove('lost', 'open')).toBe(false);
    expect(workflow.canMove('open', 'lost')).toBe(false);
  });

  it('is built once per pack', () => {
    const pack = fixturePack();
    expect(ticketWorkflow(pack)).toBe(ticketWorkflow(pack));
    expect(ticketWorkflow(fixturePack())).not.toBe(ticketWorkflow(pack));
  });

  it('lists the categories', () => {
    expect(STATUS_CATEGORIES).toEqual(['open', 'pending', 'on_hold', 'solved', 'closed']);
  });
});

describe('ticket workflow of a pack with a tickets section', () => {
  it('applies the default rule by category when the pack gives no transitions', () => {
    const workflow = ticketWorkflow(fixturePack({ 'tickets.yaml': custom }));
    expect(workflow.initial).toBe('new');
    expect(workflow.firstOf('open')).toBe('new');
    expect(workflow.firstOf('solved')).toBe('done');
    expect(workflow.statuses[3]).toEqual({
      name: 'done',
      title: 'Done',
      category: 'solved',
      description: 'The customer has an answer.',
    });
    expect(workflow.next('new')).toEqual(['working', 'waiting', 'done']);
    expect(workflow.canMove('done', 'archived')).toBe(true);
    expect(workflow.canMove('waiting', 'archived')).toBe(false);
    expect(workflow.next('archived')).toEqual([]);
    expect(() => workflow.firstOf('on_hold')).toThrow('no ticket status of category "on_hold"');
  });

  it('follows the pack’s own transitions and initial status', () => {
    const workflow = ticketWorkflow(
      fixturePack({
        'tickets.yaml': `${custom}  initial: working
  transitions:
    new: [working]
    working: [done, waiting]
    waiting: [working]
    done: [archived, working]
`,
      }),
    );
    expect(workflow.initial).toBe('working');
    expect(workflow.next('working')).toEqual(['done', 'waiting']);
    expect(workflow.canMove('new', 'done')).toBe(false);
    expect(workflow.canMove('done', 'working')).toBe(true);
    expect(workflow.next('archived')).toEqual([]);
  });
});

describe('a tickets section that does not validate is refused', () => {
  it('refuses an initial status the pack does not declare, with its line', () => {
    expect(ticketProblems(`${custom}  initial: fresh\n`)).toEqual([
      {
        file: 'fixture/tickets.yaml',
        path: 'tickets.initial',
        line: 8,
        message: '"fresh" is not one of the pack\'s ticket statuses',
      },
    ]);
  });

  it('refuses transitions from or to undeclared statuses', () => {
    const problems = ticketProblems(`${custom}  transitions:\n    new: [working, doing]\n    limbo: [new]\n`);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['tickets.transitions.new.1', 9, '"doing" is not one of the pack\'s ticket statuses'],
      ['tickets.transitions.limbo', 10, '"limbo" is not one of the pack\'s ticket statuses'],
    ]);
  });

  it('needs an open, a solved and a closed status', () => {
    const problems = ticketProblems(
      custom.replace('category: solved', 'category: pending').replace(/ {4}archived.*\n/, ''),
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['tickets.statuses', 'needs at least one status of category "solved"'],
      ['tickets.statuses', 'needs at least one status of category "closed"'],
    ]);
    expect(problems[0]).toMatchObject({ file: 'fixture/tickets.yaml', line: 2 });
  });

  it('refuses an unknown category and an unknown key', () => {
    const [category] = ticketProblems(custom.replace('category: pending', 'category: snoozed'));
    expect(category).toMatchObject({ path: 'tickets.statuses.waiting.category', line: 5 });
    expect(category!.message).toBe('must be one of: open, pending, on_hold, solved, closed');
    expect(ticketProblems(`${custom}  colour: red\n`)[0]!.message).toContain('colour');
  });
});

import { describe, expect, it } from 'vitest';
import { isKnownPlaceholder, PLACEHOLDERS, placeholderProblems, placeholdersOf, renderMacro } from './macros';
import { loadPack } from './packs/load';
import { FIXTURE_FILES, fixtureFiles } from './test/fixturePack';

describe('macro placeholders', () => {
  it('lists each placeholder once, in order, with or without spaces inside the braces', () => {
    expect(
      placeholdersOf(
        'Hi {{customer.firstName}}, order {{ order.id }} ({{order.id}}) for {{  customer.firstName}}.',
      ),
    ).toEqual(['customer.firstName', 'order.id']);
    expect(placeholdersOf('No {{ two words }} or {{today:DD-MM-YYYY}} or {single} here.')).toEqual([]);
    expect(placeholdersOf('{{tradeIn.v_number2}}')).toEqual(['tradeIn.v_number2']);
  });

  it('knows the catalogue and nothing else', () => {
    for (const name of [
      'ticket.number',
      'ticket.subject',
      'customer.name',
      'customer.firstName',
      'customer.email',
      'order.id',
      'order.number',
      'order.placedAt',
      'order.shippingAddress',
      'order.total',
      'product.name',
      'po.number',
      'po.status',
      'vendor.name',
      'tracking.carrier',
      'tracking.number',
      'tracking.lastStatus',
      'tracking.lastEventAt',
      'tracking.url',
      'agent.name',
      'agent.firstName',
      'tradeIn.vNumber',
      'tradeIn.sNumber',
      'tradeIn.product',
      'brand.name',
    ])
      expect(isKnownPlaceholder(name), name).toBe(true);
    expect(isKnownPlaceholder('store.phone')).toBe(false);
    expect(isKnownPlaceholder('constructor')).toBe(false);
    expect(isKnownPlaceholder('toString')).toBe(false);
    for (const description of Object.values(PLACEHOLDERS)) expect(description).not.toBe('');
  });

  it('names unknown and malformed placeholders once each', () => {
    expect(
      placeholderProblems(
        '{{order.id}} {{ store.phone }} {{store.phone}} {{ store.phone }} {{today:DD}} {{}}',
      ),
    ).toEqual([
      { text: '{{ store.phone }}', message: '"store.phone" is not a placeholder Casebook can fill' },
      { text: '{{store.phone}}', message: '"store.phone" is not a placeholder Casebook can fill' },
      {
        text: '{{today:DD}}',
        message: '"{{today:DD}}" is not a placeholder: use {{ path }} with letters, digits, dots and _',
      },
      {
        text: '{{}}',
        message: '"{{}}" is not a placeholder: use {{ path }} with letters, digits, dots and _',
      },
    ]);
  });
});

describe('renderMacro', () => {
  const body =
    'Hi {{ customer.firstName }}, your order {{order.id}} ({{order.total}}) ships with {{tracking.carrier}}.';

  it('fills every placeholder it has a value for', () => {
    expect(
      renderMacro(body, {
        'customer.firstName': 'Ana',
        'order.id': 'A1007',
        'order.total': 0,
        'tracking.carrier': 'DHL',
      }),
    ).toEqual({ text: 'Hi Ana, your order A1007 (0) ships with DHL.', missing: [] });
  });

  it('leaves placeholders without a value as written and lists them once', () => {
    expect(
      renderMacro(`${body} Thanks, {{ customer.firstName }}!`, {
        'customer.firstName': null,
        'order.id': '   ',
        'tracking.carrier': 'DHL',
      }),
    ).toEqual({
      text: 'Hi {{ customer.firstName }}, your order {{order.id}} ({{order.total}}) ships with DHL. Thanks, {{ customer.firstName }}!',
      missing: ['customer.firstName', 'order.id', 'order.total'],
    });
  });

  it('inserts values literally and ignores inherited keys', () => {
    expect(renderMacro('{{a}} {{constructor}}', { a: '$& $1 {{b}}' })).toEqual({
      text: '$& $1 {{b}} {{constructor}}',
      missing: ['constructor'],
    });
  });
});

describe('a pack macro with a placeholder Casebook cannot fill', () => {
  it('is refused with the file, the macro and the line of the placeholder', () => {
    const text = `${FIXTURE_FILES['macros.yaml']}  "#CL - Call back":
    body: |
      Hi {{customer.firstName}},

      Please call us on {{ store.phone }} about {{order.id}}.
    source: seed
`;
    const result = loadPack(fixtureFiles({ 'macros.yaml': text }));
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          file: 'fixture/macros.yaml',
          path: 'macros.#CL - Call back.body',
          line: 8,
          message: '"store.phone" is not a placeholder Casebook can fill',
        },
      ],
    });
  });

  it('is refused for malformed braces too', () => {
    const text = FIXTURE_FILES['macros.yaml']!.replace('{{po.id}}', '{{ po id }}');
    const result = loadPack(fixtureFiles({ 'macros.yaml': text }));
    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: 'macros.#VD - Cancel.body', line: 3 }],
    });
  });
});

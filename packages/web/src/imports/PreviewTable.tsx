import type { ImportProblem, OrderPreview, TrackingPreview } from '../api/imports';

type Preview = { kind: 'tracking'; data: TrackingPreview } | { kind: 'orders'; data: OrderPreview };

/** Rows shown at most; a larger file shows every flagged row first and then as many ready rows as fit. */
const MAX_ROWS = 500;

type Line = {
  row: number;
  state: 'flagged' | 'ready' | 'imported';
  cells: string[];
  problem?: ImportProblem;
};

/** The file's rows as the checks saw them: flagged rows (with why), ready ones, and ones imported before. */
export function PreviewTable({ preview }: { preview: Preview }) {
  const headers =
    preview.kind === 'tracking'
      ? ['PO', 'SKU', 'Carrier', 'Tracking number']
      : ['Order', 'External ID', 'Items', 'POs'];
  const flagged: Line[] = preview.data.problems.map((p) => ({
    row: p.row,
    state: 'flagged',
    cells: [],
    problem: p,
  }));
  const others: Line[] =
    preview.kind === 'tracking'
      ? [
          ...preview.data.valid.map(
            (r): Line => ({ row: r.row, state: 'ready', cells: [r.po, r.sku, r.carrier, r.trackingNumber] }),
          ),
          ...preview.data.alreadyImported.map((row): Line => ({ row, state: 'imported', cells: [] })),
        ]
      : [
          ...preview.data.orders.map(
            (o): Line => ({
              row: o.rows[0]!,
              state: 'ready',
              cells: [o.number, o.externalId ?? '', String(o.items), o.purchaseOrders.join(', ')],
            }),
          ),
          ...preview.data.alreadyImported.map(
            (o): Line => ({ row: o.rows[0]!, state: 'imported', cells: [o.number, o.externalId, '', ''] }),
          ),
        ];
  others.sort((a, b) => a.row - b.row);
  const lines = [...flagged, ...others].slice(0, MAX_ROWS);
  const hidden = flagged.length + others.length - lines.length;
  return (
    <div className="table-scroll">
      <table className="table compact import-preview">
        <caption className="visually-hidden">Rows of the file</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Check</th>
            {headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr
              key={`${line.state}-${line.row}-${line.problem?.kind ?? ''}`}
              className={`import-row-${line.state}`}
            >
              <td className="num">{line.row}</td>
              <td>
                <span
                  className={`badge ${line.state === 'flagged' ? 'badge-bad' : line.state === 'ready' ? 'badge-ok' : 'badge-neutral'}`}
                >
                  {line.state === 'flagged'
                    ? 'Flagged'
                    : line.state === 'ready'
                      ? 'Ready'
                      : 'Already imported'}
                </span>
              </td>
              {line.problem ? (
                <td colSpan={headers.length}>
                  {line.problem.message}
                  {line.problem.rule && <span className="muted small"> (rule {line.problem.rule})</span>}
                </td>
              ) : (
                headers.map((h, i) => <td key={h}>{line.cells[i] ?? ''}</td>)
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {hidden > 0 && <p className="muted small">{hidden} more rows not shown.</p>}
    </div>
  );
}

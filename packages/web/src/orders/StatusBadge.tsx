/** How a PO status reads at a glance; statuses a pack adds beyond these show neutral. */
const TONES: Record<string, 'info' | 'warn' | 'ok' | 'bad'> = {
  Processing: 'info',
  'Sent to Vendor': 'info',
  'On-Hold': 'warn',
  Shipped: 'ok',
  Delivered: 'ok',
  Canceled: 'bad',
  Returned: 'bad',
};

/** A purchase order's status as a coloured badge, so a card's state is visible before it is read. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{status}</span>;
}

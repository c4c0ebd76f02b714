import { useState } from 'react';
import type { NextStatus, Order, PurchaseOrder } from '../api/types';
import { StatusChangeDialog } from './StatusChangeDialog';

/**
 * One button per status the PO could move to next. The brand's SOP pack decides which are allowed
 * for this person now; a refused one stays visible but disabled, with the pack's reasons beside it,
 * so the agent learns what to do first instead of wondering why the button is missing.
 */
export function PoStatusActions({
  po,
  onChanged,
  onRefused,
}: {
  po: PurchaseOrder;
  onChanged: (order: Order, status: string) => void;
  /** The API refused the change (a guardrail, or someone changed the PO first). */
  onRefused: (error: unknown) => void;
}) {
  const [target, setTarget] = useState<string | null>(null);
  const refused = po.nextStatuses.filter((next) => !next.allowed);
  const reasonsId = `po-${po.id}-refusals`;

  if (po.nextStatuses.length === 0) {
    return <p className="muted small po-actions-none">{po.status} is final: the PO cannot change status.</p>;
  }
  return (
    <div className="po-actions">
      <div className="po-actions-row" role="group" aria-label={`Change the status of PO ${po.number}`}>
        <span className="po-actions-label">Change status to</span>
        {po.nextStatuses.map((next) => (
          <button
            key={next.status}
            type="button"
            className="button small"
            disabled={!next.allowed}
            title={next.allowed ? `Set PO ${po.number} to ${next.status}` : refusalText(next)}
            aria-describedby={next.allowed ? undefined : reasonsId}
            onClick={() => setTarget(next.status)}
          >
            {next.status}
          </button>
        ))}
      </div>
      {refused.length > 0 && (
        <ul className="po-refusals" id={reasonsId}>
          {refused.map((next) => (
            <li key={next.status}>
              <strong>{next.status}:</strong> {next.reasons.join(' ')}
            </li>
          ))}
        </ul>
      )}
      <StatusChangeDialog
        po={po}
        status={target}
        onClose={() => setTarget(null)}
        onChanged={(order, status) => {
          setTarget(null);
          onChanged(order, status);
        }}
        onRefused={(error) => {
          setTarget(null);
          onRefused(error);
        }}
      />
    </div>
  );
}

function refusalText(next: NextStatus): string {
  return next.reasons.length ? next.reasons.join(' ') : `${next.status} is not allowed now.`;
}

import { useState } from 'react';
import type { NextStatus, Order, PurchaseOrder } from '../api/types';
import { poLabel } from './poLabel';
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
  // Each refused status's reasons get an id, so its disabled button is described by them.
  const reasonsId = (status: string) =>
    `po-${po.id}-refusal-${refused.findIndex((r) => r.status === status)}`;

  if (po.nextStatuses.length === 0) {
    return <p className="muted small po-actions-none">{po.status} is final: the PO cannot change status.</p>;
  }
  return (
    <div className="po-actions">
      <fieldset className="po-actions-row">
        <legend className="po-actions-label">Change status to</legend>
        {po.nextStatuses.map((next) => (
          <button
            key={next.status}
            type="button"
            className="button small"
            disabled={!next.allowed}
            title={next.allowed ? `Set ${poLabel(po.number)} to ${next.status}` : refusalText(next)}
            aria-describedby={next.allowed ? undefined : reasonsId(next.status)}
            onClick={() => setTarget(next.status)}
          >
            {next.status}
          </button>
        ))}
      </fieldset>
      {refused.length > 0 && (
        <ul className="po-refusals">
          {refused.map((next) => (
            <li key={next.status} id={reasonsId(next.status)}>
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

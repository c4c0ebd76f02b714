import type { Shipment } from '../api/types';
import { TrackingTimeline } from './TrackingTimeline';

/** The PO's shipments, each with its carrier, tracking number and what the carrier reported. */
export function ShipmentList({ shipments }: { shipments: Shipment[] }) {
  if (shipments.length === 0) return <p className="muted small">Nothing has shipped yet.</p>;
  return (
    <ul className="shipments">
      {shipments.map((shipment) => (
        <li key={shipment.trackingNumber} className="shipment">
          <div className="shipment-head">
            {shipment.carrier ? (
              <span className="shipment-carrier">{shipment.carrier}</span>
            ) : (
              <span className="muted">Carrier not given</span>
            )}
            <span>
              <span className="muted small">Tracking </span>
              <span className="mono">{shipment.trackingNumber}</span>
            </span>
          </div>
          <TrackingTimeline events={shipment.events} />
        </li>
      ))}
    </ul>
  );
}

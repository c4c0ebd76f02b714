import { type FormEvent, useState } from 'react';
import { addCouponCodes, listCouponPools, takeCouponCode } from '../api/approvals';
import type { Brand } from '../api/types';
import { ErrorMessage } from '../ui/ErrorMessage';
import { useResource } from '../ui/useResource';

/** The brand's coupon pools: free codes per pool, taking one, and (for leads) adding codes. */
export function CouponPools({ brand }: { brand: Brand }) {
  const pools = useResource((signal) => listCouponPools(brand.id, signal), [brand.id]);
  const [pool, setPool] = useState('');
  const [codes, setCodes] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  if (!pools.data) return null;
  const data = pools.data;

  async function take(name: string) {
    setError(null);
    try {
      const taken = await takeCouponCode(brand.id, name);
      setStatus(
        `Your code: ${taken.code} (${taken.remaining} left${taken.alerted ? '; the leads were told the pool is low' : ''})`,
      );
      pools.reload();
    } catch (e) {
      setError(e);
    }
  }
  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const list = codes.split(/[\s,]+/).filter(Boolean);
      const added = await addCouponCodes(brand.id, pool.trim(), list);
      setStatus(
        `Added ${added.added} codes to ${pool.trim()}${added.skipped ? ` (${added.skipped} already there)` : ''}.`,
      );
      setCodes('');
      pools.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="pools-title" className="coupon-pools">
      <h2 id="pools-title" className="section-title">
        Coupon pools
      </h2>
      {data.data.length === 0 && <p className="muted small">No coupon codes yet.</p>}
      <ul>
        {data.data.map((p) => (
          <li key={p.pool}>
            <strong>{p.pool}</strong>: {p.free} free, {p.used} used
            {p.free <= data.lowAt && <span className="muted small"> (low)</span>}{' '}
            {p.free > 0 && (
              <button type="button" className="button small" onClick={() => take(p.pool)}>
                Take a code from {p.pool}
              </button>
            )}
          </li>
        ))}
      </ul>
      {data.allowed.includes('add_codes') && (
        <form onSubmit={add} className="coupon-add">
          <label className="field">
            <span>Pool</span>
            <input value={pool} onChange={(e) => setPool(e.target.value)} required />
          </label>
          <label className="field">
            <span>New codes (one per line)</span>
            <textarea value={codes} onChange={(e) => setCodes(e.target.value)} rows={3} required />
          </label>
          <button type="submit" className="button">
            Add codes
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
    </section>
  );
}

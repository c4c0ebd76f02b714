import { useState } from 'react';
import { listVendors, type Vendor } from '../api/vendors';
import { useCurrentBrand } from '../shell/currentBrand';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { VendorDialog } from './VendorDialog';
import './vendors.css';

const yesNo = (v: boolean) => (v ? 'Yes' : 'No');
const cancelVia = (v: Vendor['policy']['cancelVia']) =>
  v === 'portal' ? 'Vendor portal' : 'Side conversation';

/**
 * The brand's vendors: where side conversations to each go, and the policies the SOPs read
 * (address changes, out-of-stock cancellations, how to cancel, processing time, freight). The
 * pack's vendors.yaml is the default; a value the brand set is marked as its own.
 */
export function VendorsPage() {
  const brand = useCurrentBrand();
  useDocumentTitle('Vendors', brand.name);
  const vendors = useResource((signal) => listVendors(brand.id, signal), [brand.id]);
  const [editing, setEditing] = useState<Vendor | 'new' | null>(null);
  const canEdit = brand.allowed.includes('brand.settings.manage');
  const own = (v: Vendor, key: keyof Vendor['overrides']) =>
    v.overrides[key] !== undefined && v.overrides[key] !== null ? (
      <span className="badge badge-info" title="Set for this brand; the pack says otherwise or the same">
        brand
      </span>
    ) : null;

  return (
    <>
      <PageHeader
        title="Vendors"
        summary="Vendor contacts for side conversations, and the policies the SOPs follow for each vendor."
        actions={
          canEdit && (
            <button type="button" className="button primary" onClick={() => setEditing('new')}>
              Add vendor
            </button>
          )
        }
      />
      <ErrorMessage error={vendors.error} />
      {vendors.data && vendors.data.length === 0 && (
        <EmptyState title={`No vendors in ${brand.name} yet`}>
          Vendors appear when orders name them, or when you add one.
        </EmptyState>
      )}
      {vendors.data && vendors.data.length > 0 && (
        <table className="table vendor-table">
          <thead>
            <tr>
              <th scope="col">Vendor</th>
              <th scope="col">Contact emails</th>
              <th scope="col">Address changes</th>
              <th scope="col">One SKU out of stock cancels the whole order</th>
              <th scope="col">Cancel via</th>
              <th scope="col">Processing days</th>
              <th scope="col">Freight</th>
              {canEdit && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {vendors.data.map((v) => (
              <tr key={v.id ?? `pack:${v.name}`}>
                <th scope="row">
                  {v.name} {v.inPack && <span className="badge badge-neutral">pack</span>}
                </th>
                <td>{v.contactEmails.join(', ') || <span className="muted">none</span>}</td>
                <td>
                  {yesNo(v.policy.addressChangeAllowed)} {own(v, 'addressChangeAllowed')}
                </td>
                <td>
                  {yesNo(v.policy.cancelWholeOrderWhenSkuOutOfStock)}{' '}
                  {own(v, 'cancelWholeOrderWhenSkuOutOfStock')}
                </td>
                <td>
                  {cancelVia(v.policy.cancelVia)} {own(v, 'cancelVia')}
                </td>
                <td>
                  {v.policy.processingDays.min}–{v.policy.processingDays.max} {own(v, 'processingDays')}
                </td>
                <td>
                  {yesNo(v.policy.freight)} {own(v, 'freight')}
                </td>
                {canEdit && (
                  <td>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => setEditing(v)}
                      aria-label={`Edit ${v.name}`}
                    >
                      Edit
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <VendorDialog
        brandId={brand.id}
        vendor={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          vendors.reload();
        }}
      />
    </>
  );
}

import { type FormEvent, useState } from 'react';
import { createVendor, updateVendor, type Vendor, type VendorInput, type VendorPolicy } from '../api/vendors';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';

type Props = {
  brandId: string;
  /** The vendor to edit, 'new' to add one, null while closed. */
  vendor: Vendor | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
};

/** Adds a vendor or changes one: contact emails, and each policy either the pack's or the brand's own. */
export function VendorDialog(props: Props) {
  const title = props.vendor === 'new' ? 'Add vendor' : props.vendor ? `Edit ${props.vendor.name}` : 'Vendor';
  return (
    <Dialog open={props.vendor !== null} title={title} onClose={props.onClose} size="wide">
      {props.vendor !== null && <VendorForm {...props} vendor={props.vendor} />}
    </Dialog>
  );
}

const yesNo = (v: boolean) => (v ? 'yes' : 'no');
const boolValue = (v: boolean | null | undefined) => (v === true ? 'true' : v === false ? 'false' : '');
const fromBool = (v: string) => (v === '' ? null : v === 'true');

function VendorForm({ brandId, vendor, onClose, onSaved }: Props & { vendor: Vendor | 'new' }) {
  const existing = vendor === 'new' ? null : vendor;
  const pack: VendorPolicy | null = existing?.packPolicy ?? null;
  const o = existing?.overrides ?? {};
  const [name, setName] = useState(existing?.name ?? '');
  const [emails, setEmails] = useState((existing?.contactEmails ?? []).join('\n'));
  const [address, setAddress] = useState(boolValue(o.addressChangeAllowed));
  const [wholeOrder, setWholeOrder] = useState(boolValue(o.cancelWholeOrderWhenSkuOutOfStock));
  const [via, setVia] = useState<string>(o.cancelVia ?? '');
  const [freight, setFreight] = useState(boolValue(o.freight));
  const [ownDays, setOwnDays] = useState(Boolean(o.processingDays));
  const [minDays, setMinDays] = useState(String(o.processingDays?.min ?? pack?.processingDays.min ?? 3));
  const [maxDays, setMaxDays] = useState(String(o.processingDays?.max ?? pack?.processingDays.max ?? 5));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const packNote = (text: string) => (pack ? `Pack: ${text}` : 'Pack default');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input: VendorInput = {
      contactEmails: emails
        .split(/[\s,;]+/)
        .map((e) => e.trim())
        .filter(Boolean),
      addressChangeAllowed: fromBool(address),
      cancelWholeOrderWhenSkuOutOfStock: fromBool(wholeOrder),
      cancelVia: via === '' ? null : (via as VendorPolicy['cancelVia']),
      processingDays: ownDays ? { min: Number(minDays), max: Number(maxDays) } : null,
      freight: fromBool(freight),
    };
    try {
      if (existing?.id) await updateVendor(existing.id, { ...input, version: existing.version });
      else {
        // A new vendor (or a pack vendor not stored yet) takes only what is set; the rest reads the pack.
        const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)) as VendorInput;
        await createVendor(brandId, { name: name.trim(), ...set });
      }
      onSaved();
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };

  const select = (
    label: string,
    value: string,
    onChange: (v: string) => void,
    options: [string, string][],
    field: string,
  ) => (
    <Field label={label}>
      {(control) => (
        <select
          {...control}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={isFieldInvalid(error, field) || undefined}
        >
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <form className="form" onSubmit={submit}>
      {!existing?.stored && (
        <Field label="Name">
          {(control) => (
            <input
              {...control}
              value={name}
              onChange={(e) => setName(e.target.value)}
              readOnly={Boolean(existing)}
              required
              aria-invalid={isFieldInvalid(error, 'name') || undefined}
            />
          )}
        </Field>
      )}
      <Field label="Contact emails" hint="One per line. Side conversations to the vendor go to the first.">
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={emails}
            onChange={(e) => setEmails(e.target.value)}
            aria-invalid={isFieldInvalid(error, 'contactEmails') || undefined}
          />
        )}
      </Field>
      {select(
        'Address changes allowed',
        address,
        setAddress,
        [
          ['', packNote(yesNo(pack?.addressChangeAllowed ?? true))],
          ['true', 'Yes'],
          ['false', 'No'],
        ],
        'addressChangeAllowed',
      )}
      {select(
        'One SKU out of stock cancels the whole order',
        wholeOrder,
        setWholeOrder,
        [
          ['', packNote(yesNo(pack?.cancelWholeOrderWhenSkuOutOfStock ?? false))],
          ['true', 'Yes'],
          ['false', 'No'],
        ],
        'cancelWholeOrderWhenSkuOutOfStock',
      )}
      {select(
        'Cancellation via',
        via,
        setVia,
        [
          ['', packNote(pack?.cancelVia === 'portal' ? 'vendor portal' : 'side conversation')],
          ['side_conversation', 'Side conversation'],
          ['portal', 'Vendor portal'],
        ],
        'cancelVia',
      )}
      {select(
        'Freight',
        freight,
        setFreight,
        [
          ['', packNote(yesNo(pack?.freight ?? false))],
          ['true', 'Yes'],
          ['false', 'No'],
        ],
        'freight',
      )}
      <fieldset className="vendor-days">
        <legend>Processing days</legend>
        <label className="checkbox">
          <input type="checkbox" checked={ownDays} onChange={(e) => setOwnDays(e.target.checked)} /> Set for
          this brand
          {pack && !ownDays && (
            <span className="muted">
              {' '}
              (pack: {pack.processingDays.min}–{pack.processingDays.max})
            </span>
          )}
        </label>
        {ownDays && (
          <div className="vendor-days-range">
            <Field label="From">
              {(control) => (
                <input
                  {...control}
                  type="number"
                  min={0}
                  max={365}
                  value={minDays}
                  onChange={(e) => setMinDays(e.target.value)}
                  aria-invalid={isFieldInvalid(error, 'processingDays.min') || undefined}
                />
              )}
            </Field>
            <Field label="To">
              {(control) => (
                <input
                  {...control}
                  type="number"
                  min={0}
                  max={365}
                  value={maxDays}
                  onChange={(e) => setMaxDays(e.target.value)}
                  aria-invalid={isFieldInvalid(error, 'processingDays.max') || undefined}
                />
              )}
            </Field>
          </div>
        )}
      </fieldset>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

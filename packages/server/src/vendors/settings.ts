import { type Pack, type VendorPolicyDefinition, vendorPolicy } from '@casebook/core';
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { vendorSettings, vendors } from '../db/schema';
import { errors } from '../errors';

/** The policies packs give vendors (`vendors.yaml`), which a brand may set for itself. */
export type VendorPolicyValues = {
  addressChangeAllowed: boolean;
  cancelWholeOrderWhenSkuOutOfStock: boolean;
  cancelVia: 'side_conversation' | 'portal';
  processingDays: { min: number; max: number };
  freight: boolean;
};

/** What the brand set; null (or absent) reads the pack's value. */
export type VendorOverrides = {
  [K in keyof VendorPolicyValues]?: VendorPolicyValues[K] | null;
};

export type VendorSettingsRow = typeof vendorSettings.$inferSelect;

/** The pack's policy for a vendor: its entry in `vendors.yaml`, over the pack's defaults. */
export function packVendorPolicy(
  pack: Pack,
  name: string,
): { listed: boolean; policy: VendorPolicyValues; contactEmail: string | null } {
  const { known, policy } = vendorPolicy(pack, name);
  const def = policy as Partial<VendorPolicyDefinition>;
  return {
    listed: known,
    policy: {
      addressChangeAllowed: policy.addressChangeAllowed,
      cancelWholeOrderWhenSkuOutOfStock: policy.cancelWholeOrderWhenSkuOutOfStock,
      cancelVia: policy.cancelVia as VendorPolicyValues['cancelVia'],
      processingDays: { min: policy.processingDays.min, max: policy.processingDays.max },
      freight: def.freight ?? false,
    },
    contactEmail: def.contactEmail ?? null,
  };
}

export function overridesOf(row: VendorSettingsRow | null | undefined): VendorOverrides {
  if (!row) return {};
  return {
    addressChangeAllowed: row.addressChangeAllowed,
    cancelWholeOrderWhenSkuOutOfStock: row.cancelWholeOrderWhenSkuOutOfStock,
    cancelVia: row.cancelVia,
    processingDays:
      row.processingDaysMin !== null && row.processingDaysMax !== null
        ? { min: row.processingDaysMin, max: row.processingDaysMax }
        : null,
    freight: row.freight,
  };
}

/** The policy in force for a vendor: the brand's settings where set, else the pack's. */
export function effectiveVendorPolicy(
  pack: Pack,
  name: string,
  row: VendorSettingsRow | null | undefined,
): VendorPolicyValues {
  const base = packVendorPolicy(pack, name).policy;
  const o = overridesOf(row);
  return {
    addressChangeAllowed: o.addressChangeAllowed ?? base.addressChangeAllowed,
    cancelWholeOrderWhenSkuOutOfStock:
      o.cancelWholeOrderWhenSkuOutOfStock ?? base.cancelWholeOrderWhenSkuOutOfStock,
    cancelVia: o.cancelVia ?? base.cancelVia,
    processingDays: o.processingDays ?? base.processingDays,
    freight: o.freight ?? base.freight,
  };
}

export type VendorView = {
  id: string | null;
  name: string;
  /** The pack's `vendors.yaml` names this vendor (else it reads the pack's defaults). */
  inPack: boolean;
  /** Known to the brand (from an order, an import or created here); a pack vendor not yet stored has no id. */
  stored: boolean;
  contactEmails: string[];
  policy: VendorPolicyValues;
  packPolicy: VendorPolicyValues;
  overrides: VendorOverrides;
  version: number;
};

function view(
  pack: Pack,
  name: string,
  vendor: typeof vendors.$inferSelect | null,
  row: VendorSettingsRow | null,
): VendorView {
  const packed = packVendorPolicy(pack, name);
  const emails = row?.contactEmails.length
    ? row.contactEmails
    : vendor?.contactEmail
      ? [vendor.contactEmail]
      : packed.contactEmail
        ? [packed.contactEmail]
        : [];
  return {
    id: vendor?.id ?? null,
    name,
    inPack: packed.listed,
    stored: Boolean(vendor),
    contactEmails: emails,
    policy: effectiveVendorPolicy(pack, name, row),
    packPolicy: packed.policy,
    overrides: overridesOf(row),
    version: row?.version ?? 0,
  };
}

/** The brand's vendors with their policies in force, and the pack's listed vendors it has not stored yet. */
export async function listVendors(db: Queryable, brandId: string, pack: Pack): Promise<VendorView[]> {
  const rows = await db
    .select({ vendor: vendors, settings: vendorSettings })
    .from(vendors)
    .leftJoin(vendorSettings, eq(vendorSettings.vendorId, vendors.id))
    .where(eq(vendors.brandId, brandId))
    .orderBy(asc(vendors.name));
  const out = rows.map((r) => view(pack, r.vendor.name, r.vendor, r.settings));
  const stored = new Set(rows.map((r) => r.vendor.name.toLowerCase()));
  for (const name of Object.keys(pack.manifest.vendors?.list ?? {})) {
    if (!stored.has(name.toLowerCase())) out.push(view(pack, name, null, null));
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getVendor(
  db: Queryable,
  brandId: string,
  pack: Pack,
  vendorId: string,
): Promise<VendorView | null> {
  const [r] = await db
    .select({ vendor: vendors, settings: vendorSettings })
    .from(vendors)
    .leftJoin(vendorSettings, eq(vendorSettings.vendorId, vendors.id))
    .where(and(eq(vendors.id, vendorId), eq(vendors.brandId, brandId)));
  return r ? view(pack, r.vendor.name, r.vendor, r.settings) : null;
}

export type VendorInput = VendorOverrides & { contactEmails?: string[] | undefined };

function settingsValues(input: VendorInput): Partial<typeof vendorSettings.$inferInsert> {
  const out: Partial<typeof vendorSettings.$inferInsert> = {};
  if (input.contactEmails !== undefined)
    out.contactEmails = [...new Set(input.contactEmails.map((e) => e.toLowerCase()))];
  if (input.addressChangeAllowed !== undefined) out.addressChangeAllowed = input.addressChangeAllowed;
  if (input.cancelWholeOrderWhenSkuOutOfStock !== undefined)
    out.cancelWholeOrderWhenSkuOutOfStock = input.cancelWholeOrderWhenSkuOutOfStock;
  if (input.cancelVia !== undefined) out.cancelVia = input.cancelVia;
  if (input.processingDays !== undefined) {
    if (input.processingDays && input.processingDays.min > input.processingDays.max)
      throw errors.field('processingDays.min', 'must not be more than processingDays.max');
    out.processingDaysMin = input.processingDays?.min ?? null;
    out.processingDaysMax = input.processingDays?.max ?? null;
  }
  if (input.freight !== undefined) out.freight = input.freight;
  return out;
}

/**
 * Creates a vendor of the brand with its settings (a pack vendor not stored yet is created the
 * same way). The first contact email also becomes the vendor's contact, where side conversations go.
 */
export async function createVendor(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  input: VendorInput & { name: string },
): Promise<VendorView> {
  const values = settingsValues(input);
  let vendor: typeof vendors.$inferSelect;
  try {
    [vendor] = (await tx
      .insert(vendors)
      .values({
        brandId,
        name: input.name,
        contactEmail: values.contactEmails?.[0] ?? null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()) as [typeof vendors.$inferSelect];
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`name: vendor "${input.name}" already exists.`, { field: 'name' });
    throw error;
  }
  const [row] = await tx
    .insert(vendorSettings)
    .values({ vendorId: vendor.id, brandId, contactEmails: [], ...values, updatedAt: ctx.now })
    .returning();
  const result = view(pack, vendor.name, vendor, row!);
  await audit(tx, ctx, {
    brandId,
    entityType: 'vendor',
    entityId: vendor.id,
    action: 'create',
    after: result,
  });
  return result;
}

/** Changes a vendor's contact emails and policies; null resets a policy to the pack's. A stale version is a conflict. */
export async function updateVendor(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  vendorId: string,
  input: VendorInput & { version?: number | undefined },
): Promise<VendorView> {
  const [r] = await tx
    .select({ vendor: vendors, settings: vendorSettings })
    .from(vendors)
    .leftJoin(vendorSettings, eq(vendorSettings.vendorId, vendors.id))
    .where(and(eq(vendors.id, vendorId), eq(vendors.brandId, brandId)))
    .for('update', { of: vendors });
  if (!r) throw errors.notFound('vendor');
  const before = view(pack, r.vendor.name, r.vendor, r.settings);
  if (input.version !== undefined && input.version !== before.version) {
    throw errors.conflict(
      `The vendor changed since you loaded it (version ${before.version}, yours ${input.version}); reload it.`,
      { current: before },
    );
  }
  const values = settingsValues(input);
  const [row] = await tx
    .insert(vendorSettings)
    .values({ vendorId, brandId, contactEmails: [], ...values, version: 1, updatedAt: ctx.now })
    .onConflictDoUpdate({
      target: vendorSettings.vendorId,
      set: { ...values, version: (r.settings?.version ?? 0) + 1, updatedAt: ctx.now },
    })
    .returning();
  let vendor = r.vendor;
  if (values.contactEmails !== undefined) {
    [vendor] = (await tx
      .update(vendors)
      .set({ contactEmail: values.contactEmails[0] ?? null, updatedAt: ctx.now })
      .where(eq(vendors.id, vendorId))
      .returning()) as [typeof vendors.$inferSelect];
  }
  const after = view(pack, vendor.name, vendor, row!);
  await audit(tx, ctx, {
    brandId,
    entityType: 'vendor',
    entityId: vendorId,
    action: 'update',
    before,
    after,
  });
  return after;
}

/**
 * The pack as one brand sees it: its vendors.yaml with the brand's vendor settings laid over each
 * vendor's entry, so everything that reads policies from the pack (such as `advise`) reads the
 * policy in force. The pack itself is shared by every brand on it and is not changed.
 */
export function packWithVendorSettings(
  pack: Pack,
  settings: { name: string; settings: VendorSettingsRow | null }[],
): Pack {
  const vendorsYaml = pack.manifest.vendors;
  if (!vendorsYaml || settings.every((s) => !s.settings)) return pack;
  const list = { ...vendorsYaml.list };
  for (const { name, settings: row } of settings) {
    if (!row) continue;
    const key = Object.keys(list).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    const o = overridesOf(row);
    list[key] = {
      ...list[key],
      ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)),
      ...(row.contactEmails[0] ? { contactEmail: row.contactEmails[0] } : {}),
    };
  }
  return { ...pack, manifest: { ...pack.manifest, vendors: { ...vendorsYaml, list } } };
}

/** The brand's vendors with their settings, for `packWithVendorSettings`. */
export async function brandVendorSettings(
  db: Queryable,
  brandId: string,
): Promise<{ name: string; settings: VendorSettingsRow | null }[]> {
  return db
    .select({ name: vendors.name, settings: vendorSettings })
    .from(vendorSettings)
    .innerJoin(vendors, eq(vendors.id, vendorSettings.vendorId))
    .where(eq(vendorSettings.brandId, brandId));
}

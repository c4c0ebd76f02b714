import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { vendors } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, can, requireBrand, requireBrandOf } from '../policies';
import { createVendor, getVendor, listVendors, updateVendor, type VendorView } from '../vendors/settings';
import { brandParams, email, errorResponses, uuidParam } from './schemas';

const policySchema = z.object({
  addressChangeAllowed: z.boolean(),
  cancelWholeOrderWhenSkuOutOfStock: z.boolean(),
  cancelVia: z.enum(['side_conversation', 'portal']),
  processingDays: z.object({ min: z.number(), max: z.number() }),
  freight: z.boolean(),
});

const vendorSchema = z.object({
  id: z
    .uuid()
    .nullable()
    .describe('Null for a vendor of the pack the brand has not stored yet (create it to edit it)'),
  name: z.string(),
  inPack: z.boolean().describe('The pack’s vendors.yaml names this vendor'),
  stored: z.boolean(),
  contactEmails: z
    .array(z.string())
    .describe('Where side conversations to the vendor go (the first by default)'),
  policy: policySchema.describe('The policy in force: the brand’s settings where set, else the pack’s'),
  packPolicy: policySchema.describe('The pack’s policy (vendors.yaml: the vendor’s entry over the defaults)'),
  overrides: z
    .object({
      addressChangeAllowed: z.boolean().nullable().optional(),
      cancelWholeOrderWhenSkuOutOfStock: z.boolean().nullable().optional(),
      cancelVia: z.enum(['side_conversation', 'portal']).nullable().optional(),
      processingDays: z.object({ min: z.number(), max: z.number() }).nullable().optional(),
      freight: z.boolean().nullable().optional(),
    })
    .describe('What the brand set; null reads the pack’s value'),
  version: z.number(),
  allowed: z.array(z.enum(['update'])),
});

const days = z.int().min(0, { error: 'must not be negative' }).max(365, { error: 'must be at most 365' });
const settingsInput = {
  contactEmails: z.array(email).max(10, { error: 'at most 10 addresses' }).optional(),
  addressChangeAllowed: z.boolean().nullable().optional(),
  cancelWholeOrderWhenSkuOutOfStock: z.boolean().nullable().optional(),
  cancelVia: z
    .enum(['side_conversation', 'portal'], { error: 'must be side_conversation or portal' })
    .nullable()
    .optional(),
  processingDays: z.strictObject({ min: days, max: days }).nullable().optional(),
  freight: z.boolean().nullable().optional(),
};

const present = (access: BrandAccess, v: VendorView) => ({
  ...v,
  allowed: can(access, 'brand.settings.manage') ? ['update' as const] : [],
});

export const vendorRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const packOf = (access: BrandAccess) => deps.packs.get(access.brand.packId)!;

    app.get(
      '/brands/:brandId/vendors',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'The brand’s vendors with their contact emails and the policies in force (the brand’s settings over the pack’s vendors.yaml), and the pack’s vendors not stored yet',
          params: brandParams,
          response: { 200: z.object({ data: z.array(vendorSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const list = await listVendors(db, access.brand.id, packOf(access));
        return { data: list.map((v) => present(access, v)) };
      },
    );

    app.post(
      '/brands/:brandId/vendors',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'Adds a vendor with its contact emails and policies; unset policies read the pack’s (capability brand.settings.manage)',
          params: brandParams,
          body: z.strictObject({
            name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
            ...settingsInput,
          }),
          response: { 201: z.object({ data: vendorSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, vendor } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'brand.settings.manage');
          return {
            access,
            vendor: await createVendor(tx, ctx, access.brand.id, packOf(access), request.body),
          };
        });
        return reply.status(201).send({ data: present(access, vendor) });
      },
    );

    app.get(
      '/vendors/:vendorId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary: 'One vendor with its contact emails and policies',
          params: z.strictObject({ vendorId: uuidParam('vendorId') }),
          response: { 200: z.object({ data: vendorSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const [row] = await db
          .select({ brandId: vendors.brandId })
          .from(vendors)
          .where(eq(vendors.id, request.params.vendorId));
        const access = await requireBrandOf(db, contextOf(request).actor, row?.brandId, 'vendor');
        const vendor = await getVendor(db, access.brand.id, packOf(access), request.params.vendorId);
        if (!vendor) throw errors.notFound('vendor');
        return { data: present(access, vendor) };
      },
    );

    app.patch(
      '/vendors/:vendorId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'Changes a vendor’s contact emails and policies; null puts a policy back to the pack’s (capability brand.settings.manage)',
          params: z.strictObject({ vendorId: uuidParam('vendorId') }),
          body: z.strictObject({
            ...settingsInput,
            version: z
              .int()
              .min(0)
              .optional()
              .describe('The version you loaded; a stale one is refused with 409'),
          }),
          response: { 200: z.object({ data: vendorSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [row] = await db
          .select({ brandId: vendors.brandId })
          .from(vendors)
          .where(eq(vendors.id, request.params.vendorId));
        const access = await requireBrandOf(db, ctx.actor, row?.brandId, 'vendor', 'brand.settings.manage');
        const vendor = await db.transaction((tx) =>
          updateVendor(tx, ctx, access.brand.id, packOf(access), request.params.vendorId, request.body),
        );
        return { data: present(access, vendor) };
      },
    );
  };

import { CAPABILITY_NAMES } from '@casebook/core';
import { z } from 'zod';

/** Zod schemas shared by routes: the single source for validation, types and the OpenAPI document. */

export const uuidParam = (name: string) => z.uuid({ error: `${name} must be a UUID` });

export const brandParams = z.strictObject({ brandId: uuidParam('brandId') });

export const email = z.email({ error: 'must be an email address' }).max(254);
export const password = z
  .string()
  .min(10, { error: 'must be at least 10 characters' })
  .max(200, { error: 'must be at most 200 characters' });
export const personName = z.string().trim().min(1, { error: 'must not be empty' }).max(120);
export const capability = z.enum(CAPABILITY_NAMES, { error: 'is not a known capability' });

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  isOrgAdmin: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
});

export const brandSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  packId: z.string(),
  packVersion: z.string(),
  role: z.object({
    name: z.string(),
    title: z.string(),
    external: z.boolean().describe('A supplier’s staff role: the caller may use the supplier portal only'),
  }),
  allowed: z.array(z.string()).describe('The capabilities the caller holds in this brand'),
});

export const roleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  capabilities: z.array(z.string()),
  external: z.boolean(),
  source: z.enum(['pack', 'custom']),
  allowed: z.array(z.string()),
});

export const memberSchema = z.object({
  id: z.uuid(),
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), disabled: z.boolean() }),
  role: z.object({ name: z.string(), title: z.string() }),
  createdAt: z.string(),
  allowed: z.array(z.string()),
});

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  role: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  allowed: z.array(z.string()),
});

export const auditEntrySchema = z.object({
  id: z.number(),
  brandId: z.string().nullable(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), label: z.string() }),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  at: z.string(),
});

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
};

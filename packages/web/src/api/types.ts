/**
 * The shapes the Casebook API returns, as the web app uses them. They mirror the zod schemas in
 * packages/server/src/routes/schemas.ts; keep the two in step.
 */

export type User = {
  id: string;
  email: string;
  name: string;
  isOrgAdmin: boolean;
  disabled: boolean;
  createdAt: string;
};

/** A brand the signed-in person belongs to, with their role there and the capabilities it holds. */
export type Brand = {
  id: string;
  slug: string;
  name: string;
  packId: string;
  packVersion: string;
  role: { name: string; title: string };
  allowed: string[];
};

/** What login and GET /auth/session return. */
export type Session = {
  user: User;
  csrfToken: string;
  organization: { allowed: string[] };
  brands: Brand[];
};

export type Member = {
  id: string;
  user: { id: string; email: string; name: string; disabled: boolean };
  role: { name: string; title: string };
  createdAt: string;
  allowed: string[];
};

export type Role = {
  id: string;
  name: string;
  title: string;
  description: string | null;
  capabilities: string[];
  external: boolean;
  source: 'pack' | 'custom';
  allowed: string[];
};

export type ApiToken = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  allowed: string[];
};

export type AuditEntry = {
  id: number;
  brandId: string | null;
  actor: { type: string; id: string | null; label: string };
  entityType: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  at: string;
};

export type AuditPage = { data: AuditEntry[]; nextBefore: number | null };

export type CapabilityInfo = { name: string; description: string };

export type Pack = { id: string; name: string; version: string; description: string; source: string };

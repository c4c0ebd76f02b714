import { z } from 'zod';
import { CAPABILITY_NAMES } from '../capabilities';

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter');

/** A role the pack defines: a name, a title shown to people, and its capabilities. */
export const packRoleSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  /** External users (a supplier's staff) see only what is assigned to their company. */
  external: z.boolean().default(false),
  capabilities: z.array(z.enum(CAPABILITY_NAMES)).default([]),
});

/** The manifest of an SOP pack (`pack.yaml`): identity, version and roles. */
export const packManifestSchema = z.strictObject({
  id: slug,
  name: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.0.0'),
  description: z.string().min(1),
  /** The seed document the pack is built from. */
  source: z.string().min(1),
  roles: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]*$/, 'role names are lower-case letters, digits and _'),
      packRoleSchema,
    )
    .refine((roles) => 'admin' in roles, 'a pack must define an admin role')
    .refine((roles) => 'agent' in roles, 'a pack must define an agent role'),
});

export type PackManifest = z.infer<typeof packManifestSchema>;
export type PackRole = z.infer<typeof packRoleSchema>;

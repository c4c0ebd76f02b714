/**
 * The closed catalogue of capabilities. A role (defined by a brand's SOP pack, or by a brand admin)
 * is a named set of these; every route checks one of them through the server's policy layer.
 *
 * A capability is added here in the same change as the route or rule that enforces it, so every
 * name in this list is enforced somewhere and has a refusal test.
 */
export const CAPABILITIES = {
  'brand.settings.manage': 'Change the brand’s name and settings.',
  'members.manage': 'Add people to the brand, change their role, remove them.',
  'roles.manage': 'Create, change and delete the brand’s custom roles.',
  'api_tokens.manage': 'Create and revoke the brand’s API tokens for integrations.',
  'audit.read': 'Read the brand’s audit log.',
} as const satisfies Record<string, string>;

export type Capability = keyof typeof CAPABILITIES;

export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as Capability[];

/** Narrows a string to a known capability name. */
export function isCapability(name: string): name is Capability {
  return Object.hasOwn(CAPABILITIES, name);
}

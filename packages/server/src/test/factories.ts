import { randomUUID } from 'node:crypto';
import type { Capability } from '@casebook/core';
import { hashPassword } from '../auth/passwords';
import { createBrand } from '../commands/createBrand';
import { createUser } from '../commands/createUser';
import { grantMembership, roleByName } from '../commands/members';
import { createRole } from '../commands/roles';
import type { RequestContext } from '../context';
import type { BrandRow } from '../policies';
import { type Harness, TestClient } from './harness';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

const ctx = (h: Harness): RequestContext => ({ actor: { kind: 'system', name: 'test' }, now: h.clock.now() });
const unique = () => randomUUID().slice(0, 8);

/** A fresh brand on a pack, so each test has its own world inside a shared database. */
export async function makeBrand(h: Harness, packId = 'marketplace-dropship'): Promise<BrandRow> {
  const pack = h.deps.packs.get(packId)!;
  const { brand } = await h.deps.database.db.transaction((tx) =>
    createBrand(tx, ctx(h), { name: `Test brand ${unique()}`, slug: `t-${unique()}`, pack }),
  );
  return brand;
}

export async function makeUser(h: Harness, options: { isOrgAdmin?: boolean; name?: string } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  return h.deps.database.db.transaction((tx) =>
    createUser(
      tx,
      ctx(h),
      {
        email: `user-${unique()}@example.com`,
        name: options.name ?? `Test User ${unique()}`,
        password: TEST_PASSWORD,
        isOrgAdmin: options.isOrgAdmin,
      },
      hash,
    ),
  );
}

/**
 * A user with a role in the brand: a role of the pack by name, or a custom role holding exactly
 * the given capabilities.
 */
export async function makeMember(
  h: Harness,
  brand: BrandRow,
  role: string | { capabilities: Capability[] },
  options: { isOrgAdmin?: boolean } = {},
) {
  const user = await makeUser(h, options);
  const roleRow = await h.deps.database.db.transaction(async (tx) => {
    const r =
      typeof role === 'string'
        ? await roleByName(tx, brand.id, role)
        : await createRole(tx, ctx(h), brand.id, {
            name: `r_${unique()}`,
            title: 'Test role',
            capabilities: role.capabilities,
          });
    await grantMembership(tx, ctx(h), brand.id, user, r);
    return r;
  });
  return { user, role: roleRow };
}

/** A signed-in browser session for a new member of the brand. */
export async function signedInMember(
  h: Harness,
  brand: BrandRow,
  role: string | { capabilities: Capability[] },
  options: { isOrgAdmin?: boolean } = {},
) {
  const member = await makeMember(h, brand, role, options);
  const client = new TestClient(h.app);
  const res = await client.signIn(member.user.email, TEST_PASSWORD);
  if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
  return { ...member, client };
}

import { and, count, eq, inArray } from 'drizzle-orm';
import { hashPassword } from './auth/passwords';
import { createBrand } from './commands/createBrand';
import { createUser } from './commands/createUser';
import { grantMembership } from './commands/members';
import type { Clock, RequestContext } from './context';
import type { Db } from './db/client';
import { brands, memberships, roles, users } from './db/schema';
import { seedDemoHelpdesk } from './demoHelpdesk';
import type { PackRegistry } from './packs';

/** The password of every demo account. The demo is for trying Casebook, never for production. */
export const DEMO_PASSWORD = 'casebook-demo';

/** Demo accounts: one per role; each joins every demo brand whose pack defines that role. */
export const DEMO_USERS = [
  { role: 'admin', name: 'Ada Admin', orgAdmin: true },
  { role: 'manager', name: 'Mara Manager' },
  { role: 'lead', name: 'Leo Lead' },
  { role: 'asl', name: 'Asha Assistant-Lead' },
  { role: 'sa', name: 'Sam Senior-Advocate' },
  { role: 'agent', name: 'Alex Agent' },
  { role: 'ops', name: 'Olive Ops' },
  { role: 'approver', name: 'Arvin Approver' },
  { role: 'supplier', name: 'Bo Supplier' },
] as const;

export const demoEmail = (role: string) => `${role}@example.com`;

export async function databaseIsEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/**
 * Creates what is missing of the demo: one brand per installed pack and the demo accounts, in one
 * transaction. Running it again adds nothing twice.
 */
export async function seedDemo(db: Db, packs: PackRegistry, clock: Clock, mailDomain = 'casebook.localhost') {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ctx: RequestContext = { actor: { kind: 'system', name: 'demo' }, now: clock() };
  return db.transaction(async (tx) => {
    const created = { brands: 0, users: 0, memberships: 0 };
    const demoSlugs = packs.list().map((p) => p.manifest.id);
    for (const pack of packs.list()) {
      const [existing] = await tx.select().from(brands).where(eq(brands.slug, pack.manifest.id));
      if (!existing) {
        const { brand } = await createBrand(tx, ctx, {
          name: pack.manifest.name,
          slug: pack.manifest.id,
          pack,
          mailDomain,
        });
        await seedDemoHelpdesk(tx, ctx, brand, pack, mailDomain);
        created.brands++;
      }
    }
    for (const demo of DEMO_USERS) {
      const email = demoEmail(demo.role);
      let [user] = await tx.select().from(users).where(eq(users.email, email));
      if (!user) {
        user = await createUser(
          tx,
          ctx,
          {
            email,
            name: demo.name,
            password: DEMO_PASSWORD,
            isOrgAdmin: 'orgAdmin' in demo && demo.orgAdmin,
          },
          passwordHash,
        );
        created.users++;
      }
      const demoRoles = await tx
        .select({ roleId: roles.id, brandId: roles.brandId, membership: memberships.id })
        .from(roles)
        .innerJoin(brands, eq(brands.id, roles.brandId))
        .leftJoin(memberships, and(eq(memberships.brandId, roles.brandId), eq(memberships.userId, user.id)))
        .where(and(eq(roles.name, demo.role), inArray(brands.slug, demoSlugs)));
      for (const r of demoRoles) {
        if (r.membership) continue;
        await grantMembership(tx, ctx, r.brandId, user, { id: r.roleId, name: demo.role });
        created.memberships++;
      }
    }
    return created;
  });
}

/** The lines `npm start` prints so a newcomer can sign in. */
export function demoLoginLines(): string[] {
  return [
    `Demo accounts (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_USERS.map(
      (u) => `  ${demoEmail(u.role).padEnd(24)} ${u.role}${'orgAdmin' in u ? ' (organization admin)' : ''}`,
    ),
  ];
}

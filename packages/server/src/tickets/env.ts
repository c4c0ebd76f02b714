import { eq } from 'drizzle-orm';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { mailSettings } from '../db/schema';
import type { BrandAccess } from '../policies';
import type { BrandEnv } from './commands';

/** The brand's pack and mail domain, which ticket commands need. */
export async function brandEnv(db: Queryable, deps: Deps, brand: BrandAccess['brand']): Promise<BrandEnv> {
  const pack = deps.packs.get(brand.packId);
  if (!pack) throw new Error(`The pack "${brand.packId}" of brand ${brand.slug} is not loaded.`);
  const [settings] = await db
    .select({ address: mailSettings.address })
    .from(mailSettings)
    .where(eq(mailSettings.brandId, brand.id));
  const domain = settings?.address.split('@')[1] ?? deps.config.mailDomain;
  return { brandId: brand.id, pack, mailDomain: domain };
}

import { eq, sql } from 'drizzle-orm';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { prepared } from '../db/prepared';
import { mailSettings } from '../db/schema';
import type { BrandAccess } from '../policies';
import type { BrandEnv } from './commands';

/**
 * The domain of each brand's support address, kept for a while: it only names the right-hand side
 * of the Message-IDs of outbound mail, so an address changed on another app instance may take
 * `MAIL_DOMAIN_TTL_MS` to be used here (this instance forgets it at once).
 */
const mailDomains = new Map<string, { domain: string | null; until: number }>();
const MAIL_DOMAIN_TTL_MS = 30_000;

export function forgetMailDomain(brandId: string): void {
  mailDomains.delete(brandId);
}

/** The brand's pack and mail domain, which ticket commands need. */
export async function brandEnv(db: Queryable, deps: Deps, brand: BrandAccess['brand']): Promise<BrandEnv> {
  const pack = deps.packs.get(brand.packId);
  if (!pack) throw new Error(`The pack "${brand.packId}" of brand ${brand.slug} is not loaded.`);
  let known = mailDomains.get(brand.id);
  if (!known || known.until < Date.now()) {
    const [settings] = await prepared(db, 'mail_address_of_brand', () =>
      db
        .select({ address: mailSettings.address })
        .from(mailSettings)
        .where(eq(mailSettings.brandId, sql.placeholder('brandId'))),
    ).execute({ brandId: brand.id });
    known = { domain: settings?.address.split('@')[1] ?? null, until: Date.now() + MAIL_DOMAIN_TTL_MS };
    mailDomains.set(brand.id, known);
  }
  return { brandId: brand.id, pack, mailDomain: known.domain ?? deps.config.mailDomain };
}

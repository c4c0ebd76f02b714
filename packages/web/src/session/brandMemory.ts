import type { Brand } from '../api/types';

/** Remembers the last brand someone worked in, so "/" opens it again next time. */

const KEY = 'casebook.lastBrandId';

/** Stores the brand just opened, for the next visit to "/". */
export function rememberBrand(brandId: string): void {
  try {
    localStorage.setItem(KEY, brandId);
  } catch {
    // Storage may be disabled; the URL still carries the brand.
  }
}

function rememberedBrandId(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** The brand to open when the URL names none: the remembered one if still available, else the first. */
export function preferredBrand(brands: Brand[]): Brand | undefined {
  const remembered = rememberedBrandId();
  return brands.find((b) => b.id === remembered) ?? brands[0];
}

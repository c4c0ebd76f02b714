import { createContext, useContext } from 'react';
import type { Brand } from '../api/types';

/** The brand named in the URL, provided by BrandScope to everything inside the shell. */
export const CurrentBrandContext = createContext<Brand | null>(null);

/** The brand the page is about; only valid inside the brand-scoped routes. */
export function useCurrentBrand(): Brand {
  const brand = useContext(CurrentBrandContext);
  if (!brand) throw new Error('useCurrentBrand is used outside a brand route.');
  return brand;
}

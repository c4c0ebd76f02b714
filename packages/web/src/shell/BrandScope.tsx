import { useEffect } from 'react';
import { Navigate, useParams } from 'react-router';
import { NoBrandsPage } from '../pages/NoBrandsPage';
import { preferredBrand, rememberBrand } from '../session/brandMemory';
import { useSignedInSession } from '../session/useSession';
import { AppShell } from './AppShell';
import { homeArea } from './areas';
import { CurrentBrandContext, useCurrentBrand } from './currentBrand';
import { brandPath } from './paths';

/**
 * Resolves `:brandId` from the URL to one of the person's brands and renders the shell for it.
 * An unknown or no-longer-accessible brand sends them to their usual brand, with a note why.
 */
export function BrandScope() {
  const { brandId } = useParams();
  const session = useSignedInSession();
  const brand = session.brands.find((b) => b.id === brandId);

  useEffect(() => {
    if (brand) rememberBrand(brand.id);
  }, [brand]);

  if (!brand) {
    const fallback = preferredBrand(session.brands);
    if (!fallback) return <NoBrandsPage />;
    return (
      <Navigate
        to={brandPath(fallback.id, homeArea(fallback))}
        replace
        state={{ notice: `You are not a member of that brand, so Casebook opened ${fallback.name}.` }}
      />
    );
  }
  return (
    <CurrentBrandContext value={brand}>
      <AppShell brand={brand} />
    </CurrentBrandContext>
  );
}

/** "/" and other brand-less entry points: open the remembered brand, or the first one. */
export function BrandRedirect() {
  const session = useSignedInSession();
  const brand = preferredBrand(session.brands);
  if (!brand) return <NoBrandsPage />;
  return <Navigate to={brandPath(brand.id, homeArea(brand))} replace />;
}

/** `/b/:brandId` itself: the brand's home area (a supplier account's portal, else the inbox). */
export function BrandHome() {
  const brand = useCurrentBrand();
  return <Navigate to={brandPath(brand.id, homeArea(brand))} replace />;
}

import { type AreaId, areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { EmptyState } from '../ui/EmptyState';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';

/**
 * The page of an area whose features are still to come: its header and an empty state that says
 * what will appear there. No sample data, so nobody mistakes it for real work.
 */
export function AreaPage({ area: areaId }: { area: AreaId }) {
  const brand = useCurrentBrand();
  const area = areaById(areaId);
  useDocumentTitle(area.label, brand.name);
  return (
    <>
      <PageHeader title={area.label} summary={area.summary} />
      <EmptyState title={`Nothing in ${area.label} yet`}>
        {area.emptyText.replace('{brand}', brand.name)}
      </EmptyState>
    </>
  );
}

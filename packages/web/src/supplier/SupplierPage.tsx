import { Link } from 'react-router';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath } from '../shell/paths';
import { SupplierPanel } from '../trackers/SupplierPanel';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';

/**
 * The supplier portal, where a supplier's staff land: their company's purchase orders (adding
 * tracking to them), the brand's conversations with the company, and the way to the trackers they
 * log out-of-stock, incorrect-address and pickup / return-to-sender records in.
 */
export function SupplierPage() {
  const brand = useCurrentBrand();
  const area = areaById('supplier');
  useDocumentTitle(area.label, brand.name);
  return (
    <>
      <PageHeader
        title={`${brand.name} supplier portal`}
        summary={area.summary}
        actions={
          <Link className="button" to={brandPath(brand.id, 'trackers')}>
            Log a record
          </Link>
        }
      />
      <SupplierPanel brand={brand} />
    </>
  );
}

import { Link } from 'react-router';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';

/** Shown for an address inside the app that matches no page. */
export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <>
      <PageHeader title="Page not found" summary="There is no page at this address." />
      <p>
        <Link to="/">Go to your inbox</Link>
      </p>
    </>
  );
}

import { useSession, useSignedInSession } from '../session/useSession';
import { useDocumentTitle } from '../ui/useDocumentTitle';

/** What someone sees who belongs to no brand yet: there is nothing to work on until an admin adds them. */
export function NoBrandsPage() {
  const session = useSignedInSession();
  const { signOut } = useSession();
  useDocumentTitle('No brands');
  return (
    <main className="centered-page">
      <div className="card">
        <h1>No brands yet</h1>
        <p>
          You are signed in as {session.user.email}, but you are not a member of any brand. Ask a brand admin
          to add you; the brand will appear here as soon as they do.
        </p>
        <button type="button" className="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </main>
  );
}

import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/useSession';

/**
 * Guards every signed-in route. While the session is being checked it shows a quiet placeholder;
 * signed out, it sends the person to the login page and remembers where they were going.
 */
export function RequireSession() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <div className="splash" role="status">
        Loading Casebook…
      </div>
    );
  }
  if (state.status === 'signedOut') {
    const from = state.reason === 'signedOut' ? undefined : location.pathname + location.search;
    return <Navigate to="/login" replace state={{ from, reason: state.reason }} />;
  }
  return <Outlet />;
}

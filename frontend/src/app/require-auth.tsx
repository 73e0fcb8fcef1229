import { Navigate, Outlet, useLocation } from 'react-router';

import { useAppSelector } from '@/hooks/store';
import { selectIsLoggedIn, selectSession } from '@/lib/session';

/** Pages behind login: send the visitor to log in, then back here. */
export function RequireAuth() {
  const loggedIn = useAppSelector(selectIsLoggedIn);
  const { deleted } = useAppSelector(selectSession);
  const location = useLocation();
  // the account is gone: nothing to log in to
  if (!loggedIn && deleted) return <Navigate to="/" replace />;
  if (!loggedIn) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

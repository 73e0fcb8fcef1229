import { Navigate, Outlet, useLocation } from 'react-router';

import { useAppSelector } from '@/hooks/store';
import { selectIsLoggedIn } from '@/lib/session';

/** Pages behind login: send the visitor to log in, then back here. */
export function RequireAuth() {
  const loggedIn = useAppSelector(selectIsLoggedIn);
  const location = useLocation();
  if (!loggedIn) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

import { useDispatch, useSelector } from 'react-redux';

import type { SessionState } from '@/lib/session';
import type { Notification } from '@/lib/notifications';

// Typed hooks for the slices shared code knows about; the app's full RootState
// extends this, so shared code never imports from src/app.
type SharedState = { session: SessionState; notifications: Notification[] };

export const useAppSelector = useSelector.withTypes<SharedState>();
export const useAppDispatch = useDispatch;

import { createBrowserRouter, createMemoryRouter, Navigate, type RouteObject } from 'react-router';

import { Layout } from './layout';
import { RequireAuth } from './require-auth';
import { GalleryRoute } from './routes/gallery';
import { LandingRoute } from './routes/landing';
import { LoginRoute } from './routes/login';
import { MyPageRoute } from './routes/my-page';
import { NotFoundRoute } from './routes/not-found';
import { RegisterRoute } from './routes/register';
import { ResultRoute } from './routes/result';
import { UseTemplateRoute } from './routes/use-template';

// Pages are not lazy chunks on purpose: a lazy page keeps the previous page on
// screen while its chunk loads, so a fast user (or a browser test) typing into
// "Password" right after "Sign up" typed into the old form. Splitting saved only
// ~9% of the first load.

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <LandingRoute /> },
      { path: '/register', element: <RegisterRoute /> },
      { path: '/login', element: <LoginRoute /> },
      // the names people guess
      { path: '/signup', element: <Navigate to="/register" replace /> },
      { path: '/sign-up', element: <Navigate to="/register" replace /> },
      { path: '/gallery', element: <GalleryRoute /> },
      {
        element: <RequireAuth />,
        children: [
          { path: '/templates/:id', element: <UseTemplateRoute /> },
          { path: '/results/:taskId', element: <ResultRoute /> },
          { path: '/me', element: <MyPageRoute /> },
        ],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

export const createAppRouter = () => createBrowserRouter(routes);
export const createTestRouter = (initialEntries: string[]) => createMemoryRouter(routes, { initialEntries });

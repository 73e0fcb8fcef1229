import { createBrowserRouter, createMemoryRouter, Navigate, type RouteObject } from 'react-router';

import { lazy } from 'react';

import { Layout } from './layout';
import { RequireAuth } from './require-auth';
import { LandingRoute } from './routes/landing';
import { NotFoundRoute } from './routes/not-found';

// The landing page comes with the first load; every other page is its own chunk,
// fetched when first visited (the layout's <Suspense> shows a bar meanwhile).
const GalleryRoute = lazy(() => import('./routes/gallery').then((m) => ({ default: m.GalleryRoute })));
const LoginRoute = lazy(() => import('./routes/login').then((m) => ({ default: m.LoginRoute })));
const MyPageRoute = lazy(() => import('./routes/my-page').then((m) => ({ default: m.MyPageRoute })));
const RegisterRoute = lazy(() => import('./routes/register').then((m) => ({ default: m.RegisterRoute })));
const ResultRoute = lazy(() => import('./routes/result').then((m) => ({ default: m.ResultRoute })));
const UseTemplateRoute = lazy(() => import('./routes/use-template').then((m) => ({ default: m.UseTemplateRoute })));

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

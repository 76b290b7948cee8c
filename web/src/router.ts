import { useEffect, useState } from 'react';

/** The dashboard's views, one per module; the hash router keeps the server's job to serving index.html. */
export const ROUTES = ['region', 'transit', 'card', 'pass', 'water', 'observatory'] as const;
export type Route = (typeof ROUTES)[number];
export const DEFAULT_ROUTE: Route = 'region';

function routeFromHash(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  if (name === '') return DEFAULT_ROUTE;
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null;
}

export function routeHref(route: Route): string {
  return `#/${route}`;
}

/** The current route, or null when the hash names no view. */
export function useHashRoute(): Route | null {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

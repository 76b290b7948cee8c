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

export interface HashLocation {
  /** Path segments after the route, e.g. `['route']` for `#/transit/route`. */
  sub: string[];
  params: URLSearchParams;
}

function locationFromHash(hash: string): HashLocation {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { sub: path.split('/').filter(Boolean).slice(1), params: new URLSearchParams(query) };
}

/** The part of the hash below the route: a view's own tabs and shareable parameters. */
export function useHashLocation(): HashLocation {
  const [location, setLocation] = useState(() => locationFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setLocation(locationFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}

/** Builds `#/route/sub?params`, leaving out empty parameters. */
export function hashHref(
  route: Route,
  sub: string[] = [],
  params: Record<string, string | null | undefined> = {},
) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return `#/${[route, ...sub].join('/')}${text ? `?${text}` : ''}`;
}

/** Records a view's state in the address without adding a history entry per keystroke. */
export function replaceHash(href: string): void {
  if (window.location.hash === href) return;
  window.history.replaceState(null, '', href);
}

/** The shapes the dashboard reads from the Tongcheng HTTP API, and a fetch that turns RFC 9457 problems into errors. */

// Every shape is the server's own TypeBox-derived type, imported as a type (erased from the bundle).
import type { ProblemBody } from '../../src/lib/http.ts';
import type { Name } from '../../src/lib/name.ts';
import type { Boundaries, RegionSummary } from '../../src/region/model.ts';
import type { Health } from '../../src/server/model.ts';
import type {
  ArrivalBoard,
  Comparison,
  DepartureBoard,
  FeedSummary,
  JourneyPlan,
  RouteStats,
  Stop,
  TransitStats,
  TravelTimeMatrix,
} from '../../src/transit/model.ts';

export type {
  Boundaries,
  BoundaryKind,
  City,
  District,
  Jurisdiction,
  LinkedPlace,
  LonLat,
  RegionSummary as Region,
} from '../../src/region/model.ts';
export type { Health } from '../../src/server/model.ts';
export type {
  Arrival,
  ArrivalBoard,
  ComparedPair,
  Comparison,
  Departure,
  DepartureBoard,
  FeedSummary as TransitFeed,
  Headways,
  Instant,
  Journey,
  JourneyFare,
  JourneyPlan,
  Leg,
  MatrixCell,
  Place as MatrixPlace,
  PricedJourney,
  RouteDay,
  RouteRef as TransitRoute,
  RouteStats,
  SearchHorizon,
  Stop,
  TransitStats,
  TravelTimeMatrix,
} from '../../src/transit/model.ts';
export type Localized = Name;
type Problem = ProblemBody;

export class ApiError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status} from ${url}`);
    this.name = 'ApiError';
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'title' in body && 'status' in body;
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(url, 0, null);
  }
  if (response.ok) return (await response.json()) as T;
  let problem: Problem | null = null;
  try {
    const body: unknown = await response.json();
    if (isProblem(body)) problem = body;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone has to do.
  }
  throw new ApiError(url, response.status, problem);
}

export const api = {
  region: (signal?: AbortSignal) => getJson<RegionSummary>('/api/region', signal),
  boundaries: (signal?: AbortSignal) => getJson<Boundaries>('/api/region/boundaries', signal),
  health: (signal?: AbortSignal) => getJson<Health>('/api/health', signal),
};

// Transit (rail planner)

type Query = Record<string, string | null | undefined>;

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const transitApi = {
  feeds: (signal?: AbortSignal) => getJson<FeedSummary[]>('/api/transit/feeds', signal),
  stops: (query: { feed: string; q?: string }, signal?: AbortSignal) =>
    getJson<Stop[]>(withQuery('/api/transit/stops', query), signal),
  route: (
    query: { feed: string; from: string; to: string; at: string; horizonDays?: string },
    signal?: AbortSignal,
  ) => getJson<JourneyPlan>(withQuery('/api/transit/route', query), signal),
  departures: (
    query: { feed: string; stop: string; date: string; from: string; to: string },
    signal?: AbortSignal,
  ) => getJson<DepartureBoard>(withQuery('/api/transit/departures', query), signal),
  arrivals: (
    query: { feed: string; stop: string; date: string; from: string; to: string },
    signal?: AbortSignal,
  ) => getJson<ArrivalBoard>(withQuery('/api/transit/arrivals', query), signal),
  routes: (query: { feed: string; date?: string }, signal?: AbortSignal) =>
    getJson<RouteStats>(withQuery('/api/transit/routes', query), signal),
  matrix: (query: { feed: string; date: string; window: string }, signal?: AbortSignal) =>
    getJson<TravelTimeMatrix>(withQuery('/api/transit/matrix', query), signal),
  compare: (query: { base: string; with: string; window: string }, signal?: AbortSignal) =>
    getJson<Comparison>(withQuery('/api/transit/compare', query), signal),
  stats: (query: { feed: string; date?: string }, signal?: AbortSignal) =>
    getJson<TransitStats>(withQuery('/api/transit/stats', query), signal),
};

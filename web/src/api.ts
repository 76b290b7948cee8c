/** The shapes the dashboard reads from the Tongcheng HTTP API, and a fetch that turns RFC 9457 problems into errors. */

// Shapes the server defines are imported (as types only, erased from the bundle), not written twice.
import type {
  Headways,
  Instant,
  MatrixCell,
  Stop,
  Journey as TransitJourney,
  Leg as TransitLeg,
  RouteRef as TransitRoute,
} from '../../src/transit/index.ts';

export type { Headways, Instant, MatrixCell, Stop, TransitRoute };

export interface Localized {
  zh: string;
  en: string;
}

export type LonLat = [number, number];

export interface Jurisdiction {
  id: string;
  name: Localized;
  kind: string;
}

export interface City {
  id: string;
  name: Localized;
  jurisdiction: string;
  population: number;
  populationYear: number;
  areaKm2: number;
  centroid: LonLat;
}

export interface District {
  id: string;
  name: Localized;
  city: string;
  zone: string;
  population: number;
  areaKm2: number;
  centroid: LonLat;
}

export interface LinkedPlace {
  id: string;
  name: Localized;
  jurisdiction: string;
  relation: string;
  centroid: LonLat;
}

export interface Region {
  id: string;
  name: Localized;
  timeZone: string;
  currency: string;
  jurisdictions: Jurisdiction[];
  cities: City[];
  districts: District[];
  linkedPlaces: LinkedPlace[];
}

export interface Health {
  status: string;
  store: 'sqlite' | 'postgres';
  region: string;
}

export type BoundaryKind = 'city' | 'district' | 'linked';

export interface BoundaryFeature {
  type: 'Feature';
  properties: { kind: BoundaryKind; id: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface Boundaries {
  type: 'FeatureCollection';
  features: BoundaryFeature[];
}

/** An RFC 9457 problem as the server sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  field?: string;
}

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
  region: (signal?: AbortSignal) => getJson<Region>('/api/region', signal),
  boundaries: (signal?: AbortSignal) => getJson<Boundaries>('/api/region/boundaries', signal),
  health: (signal?: AbortSignal) => getJson<Health>('/api/health', signal),
};

// Transit (rail planner)

export interface TransitFeed {
  id: string;
  name: Localized;
  source: 'pack' | 'import';
  /** The feed the API answers for when none is named. */
  default?: boolean;
  hash: string;
  coverage: { start: string; end: string };
  typicalDate: string;
  stops: number;
  routes: number;
  trips: number;
}

export type Leg = TransitLeg<Stop>;
export type Journey = TransitJourney<Stop>;

export interface JourneyPlan {
  feed: string;
  from: Stop;
  to: Stop;
  at: string;
  journeys: Journey[];
}

export interface Departure {
  time: string;
  route: TransitRoute;
  trip: { id: string; headsign: string };
  destination: Stop;
}

export interface DepartureBoard {
  feed: string;
  stop: Stop;
  date: string;
  from: string;
  to: string;
  departures: Departure[];
  headways: Headways | null;
}

export interface MatrixPlace {
  id: string;
  name: Localized;
  kind: 'city' | 'linked';
}

export interface TravelTimeMatrix {
  feed: string;
  date: string;
  window: { from: string; to: string };
  places: MatrixPlace[];
  cells: MatrixCell[];
}

export interface ComparedPair {
  from: string;
  to: string;
  base: number | null;
  with: number | null;
  changeMinutes: number | null;
  changePercent: number | null;
}

export interface Comparison {
  base: { feed: string; date: string };
  with: { feed: string; date: string };
  window: { from: string; to: string };
  places: MatrixPlace[];
  pairs: ComparedPair[];
  average: {
    base: number | null;
    with: number | null;
    changeMinutes: number | null;
    changePercent: number | null;
    pairs: number;
  };
}

export interface TransitStats {
  feed: string;
  date: string;
  lines: number;
  dailyDepartures: number;
  stations: number;
  busiestStations: { stop: Stop; departures: number }[];
  peakHeadways: {
    stop: Stop;
    window: { from: string; to: string };
    departures: number;
    maxMinutes: number | null;
    medianMinutes: number | null;
  }[];
}

type Query = Record<string, string | null | undefined>;

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const transitApi = {
  feeds: (signal?: AbortSignal) => getJson<TransitFeed[]>('/api/transit/feeds', signal),
  stops: (query: { feed: string; q?: string }, signal?: AbortSignal) =>
    getJson<Stop[]>(withQuery('/api/transit/stops', query), signal),
  route: (query: { feed: string; from: string; to: string; at: string }, signal?: AbortSignal) =>
    getJson<JourneyPlan>(withQuery('/api/transit/route', query), signal),
  departures: (
    query: { feed: string; stop: string; date: string; from: string; to: string },
    signal?: AbortSignal,
  ) => getJson<DepartureBoard>(withQuery('/api/transit/departures', query), signal),
  matrix: (query: { feed: string; date: string; window: string }, signal?: AbortSignal) =>
    getJson<TravelTimeMatrix>(withQuery('/api/transit/matrix', query), signal),
  compare: (query: { base: string; with: string; window: string }, signal?: AbortSignal) =>
    getJson<Comparison>(withQuery('/api/transit/compare', query), signal),
  stats: (query: { feed: string; date?: string }, signal?: AbortSignal) =>
    getJson<TransitStats>(withQuery('/api/transit/stats', query), signal),
};

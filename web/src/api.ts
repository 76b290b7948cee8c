/** The shapes the dashboard reads from the Tongcheng HTTP API, and a fetch that turns RFC 9457 problems into errors. */

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

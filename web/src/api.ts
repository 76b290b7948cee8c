/** The shapes the dashboard reads from the Tongcheng HTTP API, and a fetch that turns RFC 9457 problems into errors. */

import type { Card, CardDay, CardSettlement, CardStatement, Flow } from '../../src/card/model.ts';
import type { GroupBy, Statement } from '../../src/ledger/model.ts';
// Every shape is the server's own TypeBox-derived type, imported as a type (erased from the bundle).
import type { ProblemBody } from '../../src/lib/http.ts';
import type { Name } from '../../src/lib/name.ts';
import type { Party } from '../../src/parties/model.ts';
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

export type { Party } from '../../src/parties/model.ts';
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

interface RequestOptions {
  signal?: AbortSignal;
  /** An API key, sent as `Authorization: Bearer`. */
  apiKey?: string;
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  accept?: string;
}

/** A request whose failure is an ApiError carrying the server's problem, when it sent one. */
async function send(url: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ApiError(url, 0, null);
  }
  if (response.ok) return response;
  let problem: Problem | null = null;
  try {
    const body: unknown = await response.json();
    if (isProblem(body)) problem = body;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone has to do.
  }
  throw new ApiError(url, response.status, problem);
}

export async function getJson<T>(url: string, signal?: AbortSignal, apiKey?: string): Promise<T> {
  return (await (await send(url, { signal, apiKey })).json()) as T;
}

export const api = {
  region: (signal?: AbortSignal) => getJson<RegionSummary>('/api/region', signal),
  parties: (signal?: AbortSignal) => getJson<Party[]>('/api/parties', signal),
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

// Metropolitan Tong (card) and its settlement. Admin and operator routes take the key the
// dashboard holds for this session.

export type {
  Card,
  CardDay,
  CardSettlement,
  CardStatement,
  Flow as CityFlow,
  TieBack,
  TripLeg,
} from '../../src/card/model.ts';
export type { Payment, Position, SettlementRun, Statement, StatementLine } from '../../src/ledger/model.ts';

const cardPath = (number: string) => `/api/card/cards/${encodeURIComponent(number)}`;

export const cardApi = {
  card: (number: string, apiKey: string, signal?: AbortSignal) =>
    getJson<Card>(cardPath(number), signal, apiKey),
  days: (number: string, query: { from: string; to: string }, apiKey: string, signal?: AbortSignal) =>
    getJson<CardDay[]>(withQuery(`${cardPath(number)}/days`, query), signal, apiKey),
  settle: async (body: { date: string; groupBy: GroupBy }, apiKey: string, signal?: AbortSignal) =>
    (await (
      await send('/api/card/settlements', { method: 'POST', body, apiKey, signal })
    ).json()) as CardSettlement,
  statement: (query: { date: string; party: string }, apiKey: string, signal?: AbortSignal) =>
    getJson<CardStatement>(withQuery('/api/card/statements', query), signal, apiKey),
  flows: (date: string, signal?: AbortSignal) =>
    getJson<Flow[]>(withQuery('/api/card/flows', { date }), signal),
  /** The same statement as CSV, by the period and kinds it covers (the ledger's own query). */
  statementCsv: async (statement: Statement, kinds: readonly string[] | null, apiKey: string) =>
    (
      await send(
        withQuery('/api/ledger/statement.csv', {
          party: statement.party,
          from: statement.from,
          to: statement.to,
          kinds: kinds?.join(','),
        }),
        { apiKey, accept: 'text/csv' },
      )
    ).text(),
};

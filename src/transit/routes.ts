import { Type } from 'typebox';
import { type App, problemResponses } from '../lib/http.ts';
import {
  ArrivalBoard,
  Comparison,
  DepartureBoard,
  FeedSummary,
  JourneyPlan,
  RouteStats,
  Stop,
  TransitStats,
  TravelTimeMatrix,
} from './model.ts';
import { MAX_HORIZON_DAYS } from './planner.ts';
import { DEFAULT_HORIZON_DAYS } from './raptor.ts';
import type { TransitService } from './service.ts';
import type { TransitWorkers } from './workers.ts';

const tags = ['transit'];
const responses = { ...problemResponses, 422: problemResponses[400] };

/** HTTP names feeds by id only, never by path. */
const FeedId = (description: string, example?: string) =>
  Type.String({
    pattern: '^[a-z0-9][a-z0-9-]{0,39}$',
    description,
    ...(example ? { examples: [example] } : {}),
  });
const feed = Type.Optional(FeedId('feed id; the default feed when omitted'));
const date = Type.Optional(
  Type.String({
    maxLength: 10,
    description: 'YYYY-MM-DD; today if the feed covers it, else its typical day',
  }),
);
const windowParam = Type.Optional(
  Type.String({ maxLength: 20, description: 'departure window, e.g. 07:00-09:00' }),
);
const time = (description: string) => Type.Optional(Type.String({ maxLength: 8, description }));
const stopParam = (description: string, example?: string) =>
  Type.String({ minLength: 1, maxLength: 100, description, ...(example ? { examples: [example] } : {}) });
const query = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

/** `heavy` computes matrices and comparisons: worker threads in the server. */
export function transitRoutes(
  app: App,
  transit: TransitService,
  heavy: Pick<TransitWorkers, 'matrix' | 'compare'> = transit,
): void {
  app.get(
    '/api/transit/feeds',
    {
      schema: {
        tags,
        summary: 'The GTFS feeds: the region pack’s and imported ones',
        response: { 200: Type.Array(FeedSummary) },
      },
      config: { access: 'public' },
    },
    async () => transit.listFeeds(),
  );

  app.get(
    '/api/transit/stops',
    {
      schema: {
        tags,
        summary: 'Stops of a feed; with q, the best matches of a name (in any language) or id',
        querystring: query({ feed, q: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: Type.Array(Stop), ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => transit.stops(request.query.feed, request.query.q),
  );

  app.get(
    '/api/transit/route',
    {
      schema: {
        tags,
        summary: 'Journeys from one stop to another: the Pareto set of arrival time and transfers',
        querystring: query({
          feed,
          from: stopParam('stop id or name', 'Shanghai Hongqiao'),
          to: stopParam('stop id or name', 'Hangzhou East'),
          at: Type.String({
            maxLength: 25,
            description: 'local departure, e.g. 2026-12-01T08:00',
            examples: ['2026-12-01T08:00'],
          }),
          maxTransfers: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
          horizonDays: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: MAX_HORIZON_DAYS,
              description: `a journey may arrive at most this many days after leaving; default ${DEFAULT_HORIZON_DAYS}`,
            }),
          ),
        }),
        response: { 200: JourneyPlan, ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => transit.route(request.query),
  );

  const boardQuery = query({
    feed,
    stop: stopParam('stop id or name', 'Shanghai Hongqiao'),
    date: Type.Optional(
      Type.String({
        maxLength: 10,
        description: 'YYYY-MM-DD at the station; today there if the feed covers it, else its typical day',
      }),
    ),
    from: time('HH:MM on the station’s clocks, default 00:00'),
    to: time('HH:MM on the station’s clocks, default 24:00'),
  });

  app.get(
    '/api/transit/departures',
    {
      schema: {
        tags,
        summary: 'Departures from a station in a window of its own clocks, with headway statistics',
        querystring: boardQuery,
        response: { 200: DepartureBoard, ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => transit.departures(request.query),
  );

  app.get(
    '/api/transit/arrivals',
    {
      schema: {
        tags,
        summary: 'Arrivals at a station in a window of its own clocks, with where each train came from',
        querystring: boardQuery,
        response: { 200: ArrivalBoard, ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => transit.arrivals(request.query),
  );

  app.get(
    '/api/transit/routes',
    {
      schema: {
        tags,
        summary: 'Each route’s service date: trips, calls at stops, first and last departure',
        querystring: query({ feed, date }),
        response: { 200: RouteStats, ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => transit.routes(request.query),
  );

  app.get(
    '/api/transit/matrix',
    {
      schema: {
        tags,
        summary:
          'City × city travel times over a departure window (percentiles over every minute, waiting included)',
        querystring: query({ feed, date, window: windowParam }),
        response: { 200: TravelTimeMatrix, ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => heavy.matrix(request.query),
  );

  app.get(
    '/api/transit/compare',
    {
      schema: {
        tags,
        summary: 'Scenario comparison: median city-to-city travel time in two feeds, and the change',
        querystring: query({
          base: FeedId('feed id, e.g. 2022', '2022'),
          with: FeedId('feed id, e.g. today', 'today'),
          window: windowParam,
          baseDate: date,
          withDate: date,
          from: Type.Optional(stopParam('a station: compare this one pair')),
          to: Type.Optional(stopParam('… and this one')),
        }),
        response: { 200: Comparison, ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => heavy.compare(request.query),
  );

  app.get(
    '/api/transit/stats',
    {
      schema: {
        tags,
        summary: 'The day in figures: lines, departures, busiest stations, peak headways',
        querystring: query({ feed, date, window: windowParam }),
        response: { 200: TransitStats, ...responses },
      },
      config: { access: 'public' },
    },
    async (request) => transit.stats(request.query),
  );
}

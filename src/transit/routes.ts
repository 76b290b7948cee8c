import { Type } from 'typebox';
import { type App, NameSchema, problemResponses } from '../lib/http.ts';
import type { TransitService } from './service.ts';

const tags = ['transit'];
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
const Minutes = Nullable(Type.Number());

const Stop = Type.Object({
  id: Type.String(),
  name: Type.String(),
  names: Type.Object({ zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
  lat: Type.Number(),
  lon: Type.Number(),
  city: Type.Union([Type.String(), Type.Null()], { description: 'member city or linked place id' }),
});
const Instant = Type.Object({
  date: Type.String({ description: 'service date, YYYY-MM-DD' }),
  time: Type.String({ description: 'HH:MM:SS on that date, may pass 24:00' }),
  seconds: Type.Integer(),
  utc: Type.String({ format: 'date-time' }),
});
const Route = Type.Object({
  id: Type.String(),
  shortName: Type.String(),
  longName: Type.String(),
  names: Type.Object({ zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
  type: Type.Integer(),
  color: Type.Union([Type.String(), Type.Null()]),
});
const Leg = Type.Union([
  Type.Object({
    kind: Type.Literal('ride'),
    route: Route,
    trip: Type.Object({ id: Type.String(), headsign: Type.String() }),
    from: Stop,
    to: Stop,
    departure: Instant,
    arrival: Instant,
    stops: Type.Array(Stop),
  }),
  Type.Object({
    kind: Type.Literal('walk'),
    from: Stop,
    to: Stop,
    departure: Instant,
    arrival: Instant,
    duration: Type.Integer(),
  }),
]);
const Journey = Type.Object({
  departure: Instant,
  arrival: Instant,
  duration: Type.Integer({ description: 'seconds' }),
  transfers: Type.Integer(),
  legs: Type.Array(Leg),
});
const Window = Type.Object({ from: Type.String(), to: Type.String() });
const Place = Type.Object({ id: Type.String(), name: NameSchema, kind: Type.String() });
const Headways = Type.Object({
  departures: Type.Integer(),
  minMinutes: Type.Number(),
  medianMinutes: Type.Number(),
  meanMinutes: Type.Number(),
  maxMinutes: Type.Number({ description: 'the longest wait in the window, edges included' }),
});

const feed = Type.Optional(Type.String({ description: 'feed id; the default feed when omitted' }));
const date = Type.Optional(
  Type.String({ description: 'YYYY-MM-DD; today if the feed covers it, else its typical day' }),
);
const windowParam = Type.Optional(Type.String({ description: 'departure window, e.g. 07:00-09:00' }));

export function transitRoutes(app: App, transit: TransitService): void {
  app.get(
    '/api/transit/feeds',
    {
      schema: {
        tags,
        summary: 'The GTFS feeds: the region pack’s and imported ones',
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              name: NameSchema,
              source: Type.String(),
              default: Type.Boolean(),
              hash: Type.String(),
              coverage: Type.Object({ start: Type.String(), end: Type.String() }),
              typicalDate: Type.String(),
              stops: Type.Integer(),
              routes: Type.Integer(),
              trips: Type.Integer(),
            }),
          ),
        },
      },
    },
    async () => transit.listFeeds(),
  );

  app.get(
    '/api/transit/stops',
    {
      schema: {
        tags,
        summary: 'Stops of a feed; with q, the best matches of a name (zh or en) or id',
        querystring: Type.Object({ feed, q: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: Type.Array(Stop), ...problemResponses },
      },
    },
    async (request) => transit.stops(request.query.feed, request.query.q),
  );

  app.get(
    '/api/transit/route',
    {
      schema: {
        tags,
        summary: 'Journeys from one stop to another: the Pareto set of arrival time and transfers',
        querystring: Type.Object({
          feed,
          from: Type.String({ minLength: 1, maxLength: 100, description: 'stop id or name' }),
          to: Type.String({ minLength: 1, maxLength: 100 }),
          at: Type.String({ description: 'local departure, e.g. 2026-12-01T08:00' }),
          maxTransfers: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
        }),
        response: {
          200: Type.Object({
            feed: Type.String(),
            from: Stop,
            to: Stop,
            at: Type.String(),
            journeys: Type.Array(Journey),
          }),
          ...problemResponses,
          422: problemResponses[400],
        },
      },
    },
    async (request) => transit.route(request.query),
  );

  app.get(
    '/api/transit/departures',
    {
      schema: {
        tags,
        summary: 'Departures from a station in a window, with headway statistics',
        querystring: Type.Object({
          feed,
          stop: Type.String({ minLength: 1, maxLength: 100 }),
          date,
          from: Type.Optional(Type.String({ description: 'HH:MM, default 00:00' })),
          to: Type.Optional(Type.String({ description: 'HH:MM, default 24:00' })),
        }),
        response: {
          200: Type.Object({
            feed: Type.String(),
            stop: Stop,
            date: Type.String(),
            from: Type.String(),
            to: Type.String(),
            departures: Type.Array(
              Type.Object({
                time: Type.String(),
                route: Route,
                trip: Type.Object({ id: Type.String(), headsign: Type.String() }),
                destination: Stop,
              }),
            ),
            headways: Type.Union([Headways, Type.Null()]),
          }),
          ...problemResponses,
          422: problemResponses[400],
        },
      },
    },
    async (request) => transit.departures(request.query),
  );

  app.get(
    '/api/transit/matrix',
    {
      schema: {
        tags,
        summary:
          'City × city travel times over a departure window (percentiles over every minute, waiting included)',
        querystring: Type.Object({ feed, date, window: windowParam }),
        response: {
          200: Type.Object({
            feed: Type.String(),
            date: Type.String(),
            window: Window,
            places: Type.Array(Place),
            departures: Type.Integer(),
            cells: Type.Array(
              Type.Object({
                from: Type.String(),
                to: Type.String(),
                p10: Minutes,
                p25: Minutes,
                median: Minutes,
                p75: Minutes,
                p90: Minutes,
                reachable: Type.Number(),
              }),
            ),
          }),
          ...problemResponses,
          422: problemResponses[400],
        },
      },
    },
    async (request) => transit.matrix(request.query),
  );

  app.get(
    '/api/transit/compare',
    {
      schema: {
        tags,
        summary: 'Scenario comparison: median city-to-city travel time in two feeds, and the change',
        querystring: Type.Object({
          base: Type.String({ description: 'feed id, e.g. 2022' }),
          with: Type.String({ description: 'feed id, e.g. today' }),
          window: windowParam,
          baseDate: date,
          withDate: date,
          from: Type.Optional(
            Type.String({ maxLength: 100, description: 'a station: compare this one pair' }),
          ),
          to: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: {
          200: Type.Object({
            base: Type.Object({ feed: Type.String(), date: Type.String() }),
            with: Type.Object({ feed: Type.String(), date: Type.String() }),
            window: Window,
            places: Type.Array(Place),
            pairs: Type.Array(
              Type.Object({
                from: Type.String(),
                to: Type.String(),
                base: Minutes,
                with: Minutes,
                changeMinutes: Minutes,
                changePercent: Minutes,
              }),
            ),
            average: Type.Object({
              base: Type.Number(),
              with: Type.Number(),
              changeMinutes: Type.Number(),
              changePercent: Type.Number(),
              pairs: Type.Integer(),
            }),
            onlyInWith: Type.Integer({ description: 'pairs reachable only in the `with` feed' }),
          }),
          ...problemResponses,
          422: problemResponses[400],
        },
      },
    },
    async (request) => transit.compare(request.query),
  );

  app.get(
    '/api/transit/stats',
    {
      schema: {
        tags,
        summary: 'The day in figures: lines, departures, busiest stations, peak headways',
        querystring: Type.Object({ feed, date, window: windowParam }),
        response: {
          200: Type.Object({
            feed: Type.String(),
            date: Type.String(),
            lines: Type.Integer(),
            dailyDepartures: Type.Integer(),
            stations: Type.Integer(),
            busiestStations: Type.Array(Type.Object({ stop: Stop, departures: Type.Integer() })),
            peakHeadways: Type.Array(
              Type.Object({
                stop: Stop,
                window: Window,
                departures: Type.Integer(),
                maxMinutes: Minutes,
                medianMinutes: Minutes,
              }),
            ),
          }),
          ...problemResponses,
          422: problemResponses[400],
        },
      },
    },
    async (request) => transit.stats(request.query),
  );
}

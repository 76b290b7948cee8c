/**
 * The shapes the rail planner answers with, each one TypeBox schema with its type derived from
 * it: the routes declare them as responses, the service returns them, the dashboard reads them.
 */
import { type Static, Type } from 'typebox';
import { Name } from '../lib/name.ts';

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
const Minutes = Nullable(Type.Number({ description: 'minutes' }));
const LangNames = Type.Object(
  { zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()) },
  { description: 'the name in each language the feed gives' },
);

export const Stop = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'the name as the feed gives it' }),
  names: LangNames,
  lat: Type.Number(),
  lon: Type.Number(),
  city: Type.Union([Type.String(), Type.Null()], {
    description: 'the member city or linked place the stop lies in; null outside both',
  }),
});
export type Stop = Static<typeof Stop>;

export const Instant = Type.Object({
  date: Type.String({ description: 'service date the time is counted on, YYYY-MM-DD' }),
  time: Type.String({ description: 'HH:MM:SS on that date’s clock, may pass 24:00:00' }),
  seconds: Type.Integer(),
  utc: Type.String({ format: 'date-time' }),
});
export type Instant = Static<typeof Instant>;

export const RouteRef = Type.Object({
  id: Type.String(),
  shortName: Type.String(),
  longName: Type.String(),
  names: LangNames,
  /** GTFS route_type. */
  type: Type.Integer(),
  color: Type.Union([Type.String({ description: '#rrggbb' }), Type.Null()]),
});
export type RouteRef = Static<typeof RouteRef>;

export const TripRef = Type.Object({ id: Type.String(), headsign: Type.String() });

export const Leg = Type.Union([
  Type.Object({
    kind: Type.Literal('ride'),
    route: RouteRef,
    trip: TripRef,
    from: Stop,
    to: Stop,
    departure: Instant,
    arrival: Instant,
    /** Stops from boarding to alighting, inclusive. */
    stops: Type.Array(Stop),
  }),
  Type.Object({
    kind: Type.Literal('walk'),
    from: Stop,
    to: Stop,
    departure: Instant,
    arrival: Instant,
    duration: Type.Integer({ description: 'seconds' }),
  }),
]);
export type Leg = Static<typeof Leg>;

export const Journey = Type.Object({
  departure: Instant,
  arrival: Instant,
  duration: Type.Integer({ description: 'seconds' }),
  transfers: Type.Integer(),
  legs: Type.Array(Leg),
});
export type Journey = Static<typeof Journey>;

export const JourneyPlan = Type.Object({
  feed: Type.String(),
  from: Stop,
  to: Stop,
  at: Type.String(),
  journeys: Type.Array(Journey),
});
export type JourneyPlan = Static<typeof JourneyPlan>;

export const Window = Type.Object({ from: Type.String(), to: Type.String() });
export type Window = Static<typeof Window>;

export const Place = Type.Object({
  id: Type.String(),
  name: Name,
  kind: Type.Union([Type.Literal('city'), Type.Literal('linked'), Type.Literal('station')]),
});
export type Place = Static<typeof Place>;

export const Headways = Type.Object({
  departures: Type.Integer(),
  minMinutes: Type.Number(),
  medianMinutes: Type.Number(),
  meanMinutes: Type.Number(),
  maxMinutes: Type.Number({
    description: 'the longest wait: the widest gap, and in a chosen window, from its start and to its end',
  }),
});
export type Headways = Static<typeof Headways>;

export const FeedSummary = Type.Object({
  id: Type.String(),
  name: Name,
  source: Type.Union([Type.Literal('pack'), Type.Literal('import'), Type.Literal('file')], {
    description: 'pack: of the region pack; import: imported; file: a GTFS file named by path (CLI only)',
  }),
  /** The feed the API answers for when none is named. */
  default: Type.Boolean(),
  hash: Type.String(),
  coverage: Type.Object({ start: Type.String(), end: Type.String() }),
  typicalDate: Type.String(),
  stops: Type.Integer(),
  routes: Type.Integer(),
  trips: Type.Integer(),
});
export type FeedSummary = Static<typeof FeedSummary>;

export const Departure = Type.Object({
  time: Type.String(),
  route: RouteRef,
  trip: TripRef,
  destination: Stop,
});
export type Departure = Static<typeof Departure>;

export const DepartureBoard = Type.Object({
  feed: Type.String(),
  stop: Stop,
  date: Type.String(),
  from: Type.String(),
  to: Type.String(),
  departures: Type.Array(Departure),
  headways: Type.Union([Headways, Type.Null()]),
});
export type DepartureBoard = Static<typeof DepartureBoard>;

export const MatrixCell = Type.Object({
  from: Type.String(),
  to: Type.String(),
  p10: Minutes,
  p25: Minutes,
  median: Minutes,
  p75: Minutes,
  p90: Minutes,
  reachable: Type.Number({ description: 'share of the window’s departure minutes with a journey, 0 to 1' }),
});
export type MatrixCell = Static<typeof MatrixCell>;

export const TravelTimeMatrix = Type.Object({
  feed: Type.String(),
  date: Type.String(),
  window: Window,
  places: Type.Array(Place),
  departures: Type.Integer(),
  cells: Type.Array(MatrixCell),
});
export type TravelTimeMatrix = Static<typeof TravelTimeMatrix>;

export const ComparedPair = Type.Object({
  from: Type.String(),
  to: Type.String(),
  base: Minutes,
  with: Minutes,
  changeMinutes: Minutes,
  changePercent: Minutes,
});
export type ComparedPair = Static<typeof ComparedPair>;

export const Comparison = Type.Object({
  base: Type.Object({ feed: Type.String(), date: Type.String() }),
  with: Type.Object({ feed: Type.String(), date: Type.String() }),
  window: Window,
  places: Type.Array(Place),
  pairs: Type.Array(ComparedPair),
  average: Type.Object({
    base: Type.Number(),
    with: Type.Number(),
    changeMinutes: Type.Number(),
    changePercent: Type.Number(),
    pairs: Type.Integer(),
  }),
  onlyInWith: Type.Integer({ description: 'pairs reachable only in the `with` feed' }),
});
export type Comparison = Static<typeof Comparison>;

export const TransitStats = Type.Object({
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
});
export type TransitStats = Static<typeof TransitStats>;

export const ImportedFeed = Type.Object({
  id: Type.String(),
  path: Type.String(),
  hash: Type.String(),
  coverage: Type.Object({ start: Type.String(), end: Type.String() }),
  stops: Type.Integer(),
  routes: Type.Integer(),
  trips: Type.Integer(),
  patterns: Type.Integer(),
});
export type ImportedFeed = Static<typeof ImportedFeed>;

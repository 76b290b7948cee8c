/**
 * The shapes the rail planner answers with, each one TypeBox schema with its type derived from
 * it: the routes declare them as responses, the service returns them, the dashboard reads them.
 */
import { type Static, Type } from 'typebox';
import { LanguageTag, Name } from '../lib/name.ts';

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
const Minutes = Nullable(Type.Number({ description: 'minutes' }));
const LangNames = Type.Record(LanguageTag, Type.String(), {
  description: 'the name in each language the feed gives, by BCP 47 tag; may be empty',
});

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

export const Instant = Type.Object(
  {
    date: Type.String({ description: 'service date the time is counted on, YYYY-MM-DD' }),
    time: Type.String({
      description: 'HH:MM:SS on that service date’s clock, in the feed’s (agency) zone; may pass 24:00:00',
    }),
    seconds: Type.Integer(),
    utc: Type.String({ format: 'date-time' }),
    zone: Type.String({ description: 'IANA zone of the stop, whose clocks the local date and time are' }),
    localDate: Type.String({ description: 'YYYY-MM-DD at the stop' }),
    localTime: Type.String({ description: 'HH:MM:SS on the stop’s clocks' }),
    utcOffset: Type.String({ description: 'the stop’s offset from UTC then, e.g. +08:00' }),
  },
  {
    description:
      'a moment at a stop: on the feed’s service-day clock, in UTC, and as the stop’s clocks show it',
  },
);
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

export const JourneyFare = Type.Object(
  {
    medium: Type.Union([Type.String(), Type.Null()], {
      description: 'fare_media_id priced on: the regional card',
    }),
    currency: Type.Union([Type.String(), Type.Null()]),
    total: Type.Union([Type.Integer(), Type.Null()], {
      description: 'minor units (fen); null when not priceable',
    }),
    legs: Type.Array(Type.Union([Type.Integer(), Type.Null()]), {
      description: 'per leg of the journey, what it costs after transfers (null for a walk, or with no fare)',
    }),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'why the journey has no fare' }),
  },
  { description: "what the journey costs on the region's card (Metropolitan Tong), leg by leg" },
);
export type JourneyFare = Static<typeof JourneyFare>;

export const PricedJourney = Type.Object({ ...Journey.properties, fare: JourneyFare });
export type PricedJourney = Static<typeof PricedJourney>;

export const SearchHorizon = Type.Object(
  {
    horizonDays: Type.Integer({ description: 'a journey may arrive at most this many days after leaving' }),
    latestArrival: Instant,
    serviceDates: Type.Object(
      { first: Type.String(), last: Type.String() },
      { description: 'the service dates whose trips could be taken, within the feed’s coverage' },
    ),
  },
  { description: 'what was searched: so that "no journey" says where it looked' },
);
export type SearchHorizon = Static<typeof SearchHorizon>;

export const JourneyPlan = Type.Object({
  feed: Type.String(),
  from: Stop,
  to: Stop,
  at: Type.String({ description: 'the departure asked for, on the feed’s clock' }),
  searched: SearchHorizon,
  journeys: Type.Array(PricedJourney),
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
  at: Instant,
  route: RouteRef,
  trip: TripRef,
  destination: Stop,
});
export type Departure = Static<typeof Departure>;

export const Arrival = Type.Object({
  at: Instant,
  route: RouteRef,
  trip: TripRef,
  origin: Stop,
});
export type Arrival = Static<typeof Arrival>;

const boardFields = {
  feed: Type.String(),
  stop: Stop,
  zone: Type.String({ description: 'the station’s IANA zone: date, from and to are on its clocks' }),
  date: Type.String(),
  from: Type.String(),
  to: Type.String(),
};

export const DepartureBoard = Type.Object({
  ...boardFields,
  departures: Type.Array(Departure),
  headways: Type.Union([Headways, Type.Null()]),
});
export type DepartureBoard = Static<typeof DepartureBoard>;

export const ArrivalBoard = Type.Object({
  ...boardFields,
  arrivals: Type.Array(Arrival),
  headways: Type.Union([Headways, Type.Null()], { description: 'the gaps between arrivals' }),
});
export type ArrivalBoard = Static<typeof ArrivalBoard>;

export const RouteDay = Type.Object({
  route: RouteRef,
  trips: Type.Integer({ description: 'trips of the route running on the service date' }),
  stopEvents: Type.Integer({ description: 'their calls at stops, first and last stop included' }),
  firstDeparture: Type.Union([Type.Object({ at: Instant, stop: Stop }), Type.Null()], {
    description: 'the earliest trip start, shown in the zone of the stop it leaves from',
  }),
  lastDeparture: Type.Union([Type.Object({ at: Instant, stop: Stop }), Type.Null()], {
    description: 'the latest trip start, shown in the zone of the stop it leaves from',
  }),
});
export type RouteDay = Static<typeof RouteDay>;

export const RouteStats = Type.Object({
  feed: Type.String(),
  date: Type.String({ description: 'the service date' }),
  routes: Type.Array(RouteDay),
});
export type RouteStats = Static<typeof RouteStats>;

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

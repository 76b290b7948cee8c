/**
 * The transit module's public face: GTFS in, a compact timetable out, and journeys, Pareto sets and
 * departure-window reach on top. Service, HTTP and CLI layers import from here only; the search works on
 * stop indices (raptor.ts) while planner.ts speaks ids, names, dates and Problems.
 */

export {
  type DayStats,
  type Departure,
  dayStats,
  departuresAt,
  type Headways,
  headways,
  typicalDay,
} from './analysis.ts';
export { type Coverage, coverageOf, isCovered, outsideCoverage } from './calendar.ts';
export { transitCommands } from './commands.ts';
export { type FeedInfo, FeedRegistry } from './feeds.ts';
export {
  type Feed,
  feedHash,
  type GtfsProgress,
  gtfsInvalid,
  type ReadGtfsOptions,
  readGtfs,
} from './gtfs.ts';
export { type Matrix, type MatrixCell, type MatrixQuery, travelTimeMatrix, type Zone } from './matrix.ts';
export {
  earliestArrival,
  type Instant,
  instant,
  type Journey,
  type JourneyQuery,
  type Leg,
  planJourneys,
  type ReachQuery,
  type ReachResult,
  type RouteRef,
  reachAt,
  reachInWindow,
  routeRef,
  type StopRef,
} from './planner.ts';
export {
  earliestArrivals,
  earliestJourney,
  type Origin,
  paretoJourneys,
  type RangeQuery,
  type RangeResult,
  type RaptorData,
  type RaptorJourney,
  type RaptorLeg,
  type RaptorQuery,
  rangeRaptor,
  UNREACHED,
} from './raptor.ts';
export { transitRoutes } from './routes.ts';
export { type Place, parseLocalInstant, parseWindow, type Stop, TransitService } from './service.ts';
export { findStops, normalizeName, resolveStop, type StopMatch, stopIndexById } from './stops.ts';
export {
  buildTimetable,
  cachedTimetable,
  defaultSettings,
  deserializeTimetable,
  loadTimetable,
  saveTimetable,
  serializeTimetable,
  type Timetable,
  type TimetableSettings,
  timetableFromGtfs,
} from './timetable.ts';

import { coverageOf } from './calendar.ts';
import type { Timetable } from './timetable.ts';

/** The dates the timetable can answer for. */
export const coverage = (tt: Timetable) => coverageOf(tt.service);

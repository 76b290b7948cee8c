import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  earliestArrivals,
  paretoJourneys,
  type RaptorJourney,
  rangeRaptor,
  timeLeftBounds,
  UNREACHED,
} from './raptor.ts';
import { bruteFootpaths, bruteForce, makeFeed, type TestTrip } from './testkit.ts';
import { buildTimetable, deserializeTimetable, serializeTimetable, type Timetable } from './timetable.ts';

const FIRST_DAY = 20_000;
const DAY = 86_400;

const networkArb = fc.record({
  stops: fc.array(
    fc.record({
      lat: fc.integer({ min: 0, max: 100 }),
      lon: fc.integer({ min: 0, max: 100 }),
      // Now and then a platform of one of the two stations (which come after the stops).
      station: fc.option(fc.nat(1), { freq: 3 }),
    }),
    { minLength: 3, maxLength: 6 },
  ),
  routes: fc.array(
    fc.record({
      stops: fc.array(fc.nat(), { minLength: 2, maxLength: 5 }),
      trips: fc.array(
        fc.record({
          // Trips cluster in the evening and past midnight, so transfers and previous-day trips both occur.
          start: fc.integer({ min: 60_000, max: 100_000 }),
          service: fc.nat(1),
          legs: fc.array(
            fc.record({
              // Mostly short hops; now and then a night or two on board, so journeys span several days.
              travel: fc.oneof(
                { weight: 6, arbitrary: fc.integer({ min: 60, max: 1800 }) },
                { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 120_000 }) },
              ),
              dwell: fc.integer({ min: 0, max: 120 }),
              flags: fc.nat(9),
            }),
            { minLength: 5, maxLength: 5 },
          ),
        }),
        { minLength: 1, maxLength: 10 },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  services: fc.array(
    fc.record({
      weekdays: fc.integer({ min: 0, max: 127 }),
      added: fc.array(fc.integer({ min: 0, max: 13 }), { maxLength: 3 }),
      removed: fc.array(fc.integer({ min: 0, max: 13 }), { maxLength: 3 }),
    }),
    { minLength: 2, maxLength: 2 },
  ),
  transfers: fc.array(
    fc.record({
      from: fc.nat(),
      to: fc.nat(),
      type: fc.constantFrom(2, 3),
      minTime: fc.integer({ min: 0, max: 600 }),
    }),
    { maxLength: 3 },
  ),
  changeTime: fc.integer({ min: 0, max: 180 }),
  walkRadius: fc.constantFrom(0, 300, 500, 1500),
  walkSpeed: fc.constantFrom(0.8, 1.2, 2),
  maxWalkTime: fc.constantFrom(200, 900, 3000),
  query: fc.record({
    origins: fc.array(fc.record({ stop: fc.nat(), access: fc.integer({ min: 0, max: 300 }) }), {
      minLength: 1,
      maxLength: 2,
    }),
    target: fc.nat(),
    day: fc.integer({ min: 0, max: 6 }),
    time: fc.oneof(fc.integer({ min: 0, max: 15_000 }), fc.integer({ min: 55_000, max: 100_000 })),
    maxTrips: fc.integer({ min: 1, max: 4 }),
    /** Days after the departure a journey may arrive. */
    horizon: fc.integer({ min: 1, max: 5 }),
  }),
});

type Network = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function build(net: Network) {
  const n = net.stops.length;
  const trips: TestTrip[] = [];
  net.routes.forEach((route, r) => {
    const stops = [...new Set(route.stops.map((s) => s % n))];
    if (stops.length < 2) stops.push((stops[0] + 1) % n);
    for (const trip of route.trips) {
      const times: [number, number, number, number][] = [];
      let t = trip.start;
      stops.forEach((s, i) => {
        const leg = trip.legs[i];
        const arrival = i === 0 ? t : t + leg.travel;
        const departure = arrival + leg.dwell;
        // Mostly ordinary stops; now and then no boarding (8) or no alighting (9).
        const flags = leg.flags === 8 ? 1 : leg.flags === 9 ? 2 : 0;
        times.push([s, arrival, departure, flags]);
        t = departure;
      });
      trips.push({ route: r, service: trip.service, times });
    }
  });
  const at = (lat: number, lon: number) => ({ lat: 31 + lat * 0.0004, lon: 121 + lon * 0.0004 });
  const feed = makeFeed({
    stops: [
      ...net.stops.map((s) => ({ ...at(s.lat, s.lon), parent: s.station === null ? -1 : n + s.station })),
      { ...at(50, 50), locationType: 1 },
      { ...at(10, 90), locationType: 1 },
    ],
    trips,
    services: net.services.map((s) => ({
      weekdays: s.weekdays,
      start: FIRST_DAY,
      end: FIRST_DAY + 13,
      added: s.added.map((d) => FIRST_DAY + d),
      removed: s.removed.map((d) => FIRST_DAY + d),
    })),
    transfers: net.transfers.map((t) => ({ ...t, from: t.from % (n + 2), to: t.to % (n + 2) })),
  });
  const settings = {
    changeTime: net.changeTime,
    walkRadius: net.walkRadius,
    walkSpeed: net.walkSpeed,
    maxWalkTime: net.maxWalkTime,
  };
  const tt = buildTimetable(feed, settings);
  const origins = net.query.origins.map((o) => ({ stop: o.stop % (n + 2), access: o.access }));
  const departure = net.query.time;
  return {
    feed,
    tt,
    origins,
    day: FIRST_DAY + net.query.day,
    departure,
    latestArrival: departure + net.query.horizon * DAY,
    target: net.query.target % (n + 2),
  };
}

/** A journey must be rideable as written: real trip times, real footpaths, change times kept. */
function checkJourney(tt: Timetable, j: RaptorJourney, earliest: number): void {
  let time = earliest;
  let previous: 'ride' | 'walk' | undefined;
  let at = -1;
  for (const leg of j.legs) {
    if (at >= 0) expect(leg.from).toBe(at);
    if (leg.kind === 'walk') {
      expect(previous).not.toBe('walk');
      let found = false;
      for (let e = tt.transferStart[leg.from]; e < tt.transferStart[leg.from + 1]; e++) {
        if (tt.transferTo[e] === leg.to && tt.transferTime[e] === leg.arrival - leg.departure) found = true;
      }
      expect(found).toBe(true);
      expect(leg.departure).toBeGreaterThanOrEqual(time);
    } else {
      const ready = previous === 'ride' ? time + tt.changeTime[leg.from] : time;
      expect(leg.departure).toBeGreaterThanOrEqual(ready);
      const p = tt.tripPattern[leg.trip];
      const base = tt.tripTimeStart[leg.trip];
      expect(tt.patternStops[tt.patternStopStart[p] + leg.boardPos]).toBe(leg.from);
      expect(tt.patternStops[tt.patternStopStart[p] + leg.alightPos]).toBe(leg.to);
      expect(tt.departures[base + leg.boardPos] + leg.dayOffset * 86_400).toBe(leg.departure);
      expect(tt.arrivals[base + leg.alightPos] + leg.dayOffset * 86_400).toBe(leg.arrival);
    }
    previous = leg.kind;
    time = leg.arrival;
    at = leg.to;
  }
  expect(j.arrival).toBe(time);
}

describe('RAPTOR against brute force on random networks', () => {
  it('builds the footpaths the rules call for: radius, speed, platforms of a station, transfers.txt', () => {
    fc.assert(
      fc.property(networkArb, (net) => {
        const { feed, tt } = build(net);
        const want = bruteFootpaths(feed, tt.settings);
        for (let s = 0; s < tt.stopCount; s++) {
          const got: (number | undefined)[] = new Array(tt.stopCount).fill(undefined);
          for (let e = tt.transferStart[s]; e < tt.transferStart[s + 1]; e++) {
            got[tt.transferTo[e]] = tt.transferTime[e];
            if (e > tt.transferStart[s])
              expect(tt.transferTime[e]).toBeGreaterThanOrEqual(tt.transferTime[e - 1]);
          }
          expect(got).toEqual(want.time[s]);
          expect(tt.changeTime[s]).toBe(want.changeTime[s]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('earliest arrival at every stop equals the brute force, over as many days as the horizon', () => {
    let multiDay = 0;
    fc.assert(
      fc.property(networkArb, (net) => {
        const { feed, tt, origins, day, departure, latestArrival } = build(net);
        const rounds = net.query.maxTrips;
        const got = earliestArrivals(tt, { origins, day, departure, latestArrival, maxRounds: rounds });
        const want = bruteForce(feed, tt.settings, {
          origins,
          day,
          departure,
          maxTrips: rounds,
          latestArrival,
        })[rounds];
        expect(Array.from(got)).toEqual(want);
        if (want.some((t) => t < UNREACHED && t >= departure - (departure % DAY) + 2 * DAY)) multiDay++;
      }),
      { numRuns: 2500 },
    );
    // The property is only worth its name if journeys reaching two or more days ahead were among the cases.
    expect(multiDay).toBeGreaterThan(100);
  });

  it('the Pareto set is non-dominated, rideable, and matches the brute force per number of trips', () => {
    fc.assert(
      fc.property(networkArb, (net) => {
        const { feed, tt, origins, day, departure, latestArrival, target } = build(net);
        const rounds = net.query.maxTrips;
        const journeys = paretoJourneys(tt, {
          origins,
          day,
          departure,
          latestArrival,
          target,
          maxRounds: rounds,
        });
        const want = bruteForce(feed, tt.settings, {
          origins,
          day,
          departure,
          maxTrips: rounds,
          latestArrival,
        });
        for (let i = 1; i < journeys.length; i++) {
          expect(journeys[i].trips).toBeGreaterThan(journeys[i - 1].trips);
          expect(journeys[i].arrival).toBeLessThan(journeys[i - 1].arrival);
        }
        for (let k = 0; k <= rounds; k++) {
          const best = Math.min(UNREACHED, ...journeys.filter((j) => j.trips <= k).map((j) => j.arrival));
          expect(best).toBe(want[k][target]);
        }
        for (const j of journeys) {
          expect(j.arrival).toBeLessThanOrEqual(latestArrival);
          const first = j.legs[0];
          const access = Math.min(...origins.filter((o) => o.stop === first?.from).map((o) => o.access));
          if (first) checkJourney(tt, j, departure + access);
        }
      }),
      { numRuns: 2500 },
    );
  });

  it('never bounds the time left to the target above what the fastest journey takes', () => {
    let positive = 0;
    let tight = 0;
    fc.assert(
      fc.property(networkArb, (net) => {
        const { feed, tt, day, departure, latestArrival, target } = build(net);
        const bounds = timeLeftBounds(tt, target);
        for (let s = 0; s < tt.stopCount; s++) {
          const best = bruteForce(feed, tt.settings, {
            origins: [{ stop: s, access: 0 }],
            day,
            departure,
            maxTrips: 4,
            latestArrival,
          })[4][target];
          if (best < UNREACHED) {
            expect(bounds[s]).toBeLessThanOrEqual(best - departure);
            if (bounds[s] > 0) positive++;
            if (bounds[s] > 0 && bounds[s] >= (best - departure) / 2) tight++;
          }
        }
      }),
      { numRuns: 300 },
    );
    // Bounds of zero would pass trivially: many must be positive, and some near the real time.
    expect(positive).toBeGreaterThan(300);
    expect(tight).toBeGreaterThan(5);
  });

  it('range RAPTOR equals one earliest-arrival query per departure', () => {
    fc.assert(
      fc.property(
        networkArb,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 60, max: 900 }),
        (net, count, step) => {
          const { tt, origins, day, latestArrival } = build(net);
          const from = net.query.time;
          const to = from + (count - 1) * step;
          const rounds = net.query.maxTrips;
          const range = rangeRaptor(tt, { origins, day, from, to, step, latestArrival, maxRounds: rounds });
          expect(range.departures.length).toBe(count);
          range.departures.forEach((departure, i) => {
            const single = earliestArrivals(tt, {
              origins,
              day,
              departure,
              latestArrival,
              maxRounds: rounds,
            });
            expect(Array.from(range.arrivals[i])).toEqual(Array.from(single));
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a serialised timetable loads back identical and answers the same', () => {
    fc.assert(
      fc.property(networkArb, (net) => {
        const { tt, origins, day } = build(net);
        const back = deserializeTimetable(serializeTimetable(tt));
        for (const [key, value] of Object.entries(tt)) {
          const other = (back as unknown as Record<string, unknown>)[key];
          if (ArrayBuffer.isView(value))
            expect(Array.from(other as Int32Array)).toEqual(Array.from(value as Int32Array));
          else if (key !== 'service') expect(other).toEqual(value);
        }
        expect(Array.from(back.service.bits)).toEqual(Array.from(tt.service.bits));
        const q = { origins, day, departure: net.query.time };
        expect(Array.from(earliestArrivals(back, q))).toEqual(Array.from(earliestArrivals(tt, q)));
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * The region's stops as the simulation and the flows between cities see them: each fare
 * feed's stop with its coordinates and its city (by the region's boundaries).
 */
import type { FareEngine } from '../fares/index.ts';
import type { Region } from '../region/index.ts';
import type { SimNetwork, SimStop } from './simulate.ts';

export const RAIL_OPERATOR = 'cr-shanghai';

/** The city of every located stop of the fare feeds, by stop id. */
export function stopCities(engine: FareEngine, region: Region): Map<string, string> {
  const out = new Map<string, string>();
  for (const stop of engine.feed.stops.values()) {
    if (stop.lat === null || stop.lon === null) continue;
    const city = region.locate(stop.lat, stop.lon).city;
    if (city) out.set(stop.id, city.id);
  }
  return out;
}

/** Whether the fare rules price a leg from the stop: the simulation rides only where a fare is known. */
function priced(engine: FareEngine, operator: string, stop: string): boolean {
  try {
    engine.maxFare(operator, stop, {}, '2026-01-05T12:00:00Z');
    return true;
  } catch {
    return false;
  }
}

export function simNetwork(engine: FareEngine, region: Region): SimNetwork {
  const cityOf = stopCities(engine, region);
  const railStations = new Map<string, SimStop[]>();
  const gatedStops = new Set<string>();
  for (const byStop of engine.feed.edges.values()) for (const stop of byStop.keys()) gatedStops.add(stop);
  // Per city, each local operator's priced stops; the commuter rides the one with most (a metro over buses).
  const byCity = new Map<string, Map<string, SimStop[]>>();
  for (const stop of engine.feed.stops.values()) {
    const city = cityOf.get(stop.id);
    if (!city || stop.lat === null || stop.lon === null) continue;
    const at: SimStop = { id: stop.id, lat: stop.lat, lon: stop.lon };
    for (const operator of stop.operators) {
      if (!priced(engine, operator, stop.id)) continue;
      if (operator === RAIL_OPERATOR) {
        railStations.set(city, [...(railStations.get(city) ?? []), at]);
        continue;
      }
      const operators = byCity.get(city) ?? new Map<string, SimStop[]>();
      operators.set(operator, [...(operators.get(operator) ?? []), at]);
      byCity.set(city, operators);
    }
  }
  const local: SimNetwork['local'] = new Map();
  for (const [city, operators] of byCity) {
    const rank = ([, stops]: [string, SimStop[]]) => (gatedStops.has(stops[0].id) ? 1000 : 0) + stops.length;
    const [operator, stops] = [...operators].sort((a, b) => rank(b) - rank(a))[0];
    local.set(city, { operator, gated: gatedStops.has(stops[0].id), stops, routes: [] });
  }
  for (const entry of local.values()) {
    entry.routes = [...engine.feed.routes.entries()]
      .filter(([, r]) => r.agency === entry.operator)
      .map(([id]) => id);
  }
  return {
    timeZone: region.pack.timeZone,
    rail: { operator: RAIL_OPERATOR, stations: railStations },
    local,
    cities: region.pack.cities.map((c) => ({
      id: c.id,
      jurisdiction: c.jurisdiction,
      population: c.population,
      lat: c.centroid[1],
      lon: c.centroid[0],
    })),
  };
}

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

export function simNetwork(engine: FareEngine, region: Region): SimNetwork {
  const cityOf = stopCities(engine, region);
  const railStations = new Map<string, SimStop[]>();
  const local: SimNetwork['local'] = new Map();
  const gatedStops = new Set<string>();
  for (const byStop of engine.feed.edges.values()) for (const stop of byStop.keys()) gatedStops.add(stop);
  for (const stop of engine.feed.stops.values()) {
    const city = cityOf.get(stop.id);
    if (!city || stop.lat === null || stop.lon === null) continue;
    const at: SimStop = { id: stop.id, lat: stop.lat, lon: stop.lon };
    for (const operator of stop.operators) {
      if (operator === RAIL_OPERATOR) {
        railStations.set(city, [...(railStations.get(city) ?? []), at]);
        continue;
      }
      const entry = local.get(city) ?? { operator, gated: gatedStops.has(stop.id), stops: [], routes: [] };
      // A city's metro wins over its buses: the commuter rides the metro where there is one.
      if (entry.operator !== operator && !(gatedStops.has(stop.id) && !entry.gated)) continue;
      if (entry.operator !== operator) {
        entry.operator = operator;
        entry.gated = true;
        entry.stops = [];
      }
      entry.stops.push(at);
      local.set(city, entry);
    }
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

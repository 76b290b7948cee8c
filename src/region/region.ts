/** A loaded region: its places, and where a point lies (a spatial index over the boundaries). */
import Flatbush from 'flatbush';
import { problem } from '../lib/errors.ts';
import { bbox, type Side, sideOfPolygon } from './geometry.ts';
import type {
  Boundaries,
  Boundary,
  City,
  Jurisdiction,
  Location,
  LonLat,
  Museum,
  Polygon,
  RegionPack,
} from './model.ts';

interface IndexedPolygon {
  boundary: Boundary;
  polygon: Polygon;
}

/** Folds case, spaces and punctuation so "Hangzhou-East", "hangzhou east" and "杭州东" compare as typed. */
export const foldName = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');

export class Region {
  readonly pack: RegionPack;
  private readonly index: Flatbush;
  private readonly indexed: IndexedPolygon[];
  private readonly cityOrder: Map<string, number>;

  constructor(pack: RegionPack) {
    this.pack = pack;
    this.indexed = pack.boundaries.flatMap((boundary) =>
      boundary.polygons.map((polygon) => ({ boundary, polygon })),
    );
    this.index = new Flatbush(Math.max(1, this.indexed.length));
    for (const { polygon } of this.indexed) this.index.add(...bbox(polygon));
    if (this.indexed.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
    this.cityOrder = new Map(pack.cities.map((c, i) => [c.id, i]));
  }

  get id() {
    return this.pack.id;
  }

  jurisdiction(id: string): Jurisdiction | undefined {
    return this.pack.jurisdictions.find((j) => j.id === id);
  }

  /**
   * A city by id, or by its name in any of the pack's languages, ignoring case, spaces and
   * punctuation ("市", the city suffix in Chinese and Japanese, may be left off).
   */
  findCity(query: string): City | undefined {
    const bare = (s: string) => foldName(s).replace(/市$/, '');
    const q = bare(query);
    return this.pack.cities.find((c) => bare(c.id) === q || Object.values(c.name).some((n) => bare(n) === q));
  }

  city(query: string): City {
    const city = this.findCity(query);
    if (!city) throw problem('unknown-city', `no city "${query}" in region ${this.id}`, 'id');
    return city;
  }

  /** The pack's museums, in its order; of one city (by id or name) when asked. */
  museums(city?: string): Museum[] {
    const { museums } = this.pack.museums;
    if (city === undefined) return museums;
    const found = this.findCity(city);
    if (!found) throw problem('unknown-city', `no city "${city}" in region ${this.id}`, 'city');
    return museums.filter((m) => m.city === found.id);
  }

  /**
   * Which city, district and jurisdiction contain a point. Boundaries are closed: a point on
   * the border two cities share lies in both, is reported in the one listed first in the pack,
   * and `onBoundaryOf` names all of them, so that a caller who cares can decide otherwise.
   */
  locate(lat: number, lon: number): Location {
    const point: LonLat = [lon, lat];
    const cities = new Map<string, Side>();
    const districts = new Map<string, Side>();
    const linked = new Map<string, Side>();
    for (const i of this.index.search(lon, lat, lon, lat)) {
      const { boundary, polygon } = this.indexed[i];
      const side = sideOfPolygon(point, polygon);
      if (side === 'outside') continue;
      const found = boundary.kind === 'city' ? cities : boundary.kind === 'district' ? districts : linked;
      if (found.get(boundary.id) !== 'inside') found.set(boundary.id, side);
    }
    const pick = (found: Map<string, Side>) =>
      [...found.entries()].sort(
        ([a, sa], [b, sb]) =>
          Number(sb === 'inside') - Number(sa === 'inside') || this.rank(a) - this.rank(b),
      )[0]?.[0];
    const cityId = pick(cities);
    const districtId = pick(districts);
    const city = cityId ? this.pack.cities.find((c) => c.id === cityId)! : null;
    const district = districtId ? this.pack.districts.find((d) => d.id === districtId)! : null;
    const jurisdiction = city ? this.jurisdiction(city.jurisdiction)! : null;
    const linkedPlace = city ? null : (this.pack.linkedPlaces.find((p) => linked.has(p.id)) ?? null);
    const ref = (place: { id: string; name: City['name'] } | null) =>
      place && { id: place.id, name: place.name };
    return {
      lat,
      lon,
      city: ref(city),
      district: ref(district),
      jurisdiction: ref(jurisdiction),
      linkedPlace: ref(linkedPlace),
      onBoundaryOf: [...cities.entries()]
        .filter(([, side]) => side === 'boundary')
        .map(([id]) => id)
        .sort((a, b) => this.rank(a) - this.rank(b)),
    };
  }

  private rank(cityOrDistrict: string): number {
    return (
      this.cityOrder.get(cityOrDistrict) ?? this.pack.districts.findIndex((d) => d.id === cityOrDistrict)
    );
  }

  /** The pack's boundaries as GeoJSON, for maps. */
  boundariesGeoJson(): Boundaries {
    return {
      type: 'FeatureCollection' as const,
      features: this.pack.boundaries.map((b) => ({
        type: 'Feature' as const,
        properties: { kind: b.kind, id: b.id },
        geometry: { type: 'MultiPolygon' as const, coordinates: b.polygons },
      })),
    };
  }
}

/** A region pack, as loaded and validated: plain data, no I/O. */
import type { Name } from '../lib/name.ts';

export type { Name };
export type LonLat = [lon: number, lat: number];

export interface Jurisdiction {
  id: string;
  name: Name;
  kind: 'municipality' | 'province';
  sources: string[];
}

export interface City {
  id: string;
  name: Name;
  jurisdiction: string;
  population: number;
  populationYear: number;
  areaKm2: number;
  centroid: LonLat;
  sources: string[];
}

export interface District {
  id: string;
  name: Name;
  city: string;
  zone: string;
  population: number;
  populationYear: number;
  areaKm2: number;
  centroid: LonLat;
  sources: string[];
}

/** A place outside the region that is tied to it (Hangzhou for the SMA). */
export interface LinkedPlace {
  id: string;
  name: Name;
  jurisdiction: string;
  kind: string;
  relation: string;
  centroid: LonLat;
  population?: number;
  populationYear?: number;
  areaKm2?: number;
  sources: string[];
}

export interface Source {
  title: string;
  publisher: string;
  year: number;
  url?: string;
  note?: string;
}

export type Polygon = LonLat[][];
export type MultiPolygon = LonLat[][][];

export interface Boundary {
  kind: 'city' | 'district' | 'linked';
  id: string;
  /** Always as a list of polygons (a Polygon is a MultiPolygon of one). */
  polygons: MultiPolygon;
}

export interface RegionPack {
  id: string;
  name: Name;
  timeZone: string;
  currency: string;
  jurisdictions: Jurisdiction[];
  cities: City[];
  districts: District[];
  linkedPlaces: LinkedPlace[];
  sources: Record<string, Source>;
  boundaries: Boundary[];
  /** Parties other than the jurisdictions and the scheme: operators, museums, agencies. */
  parties: PackParty[];
}

export interface PackParty {
  id: string;
  kind: 'operator' | 'museum' | 'agency';
  name: Name;
  jurisdiction: string;
  city?: string;
}

/** The answer to "where is this point". */
export interface Location {
  lat: number;
  lon: number;
  city: City | null;
  district: District | null;
  jurisdiction: Jurisdiction | null;
  /** A place outside the region tied to it (e.g. Hangzhou), when the point is in no city but in its boundary. */
  linkedPlace: LinkedPlace | null;
  /** Cities whose boundary passes within a few centimetres of the point (shared borders). */
  onBoundaryOf: string[];
}

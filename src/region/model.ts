/**
 * A region pack, as its files declare it and as the API and the dashboard read it: each shape is
 * one TypeBox schema here, and its type derives from it. The pack loader checks the files
 * against these schemas; semantic checks (references, geometry) live in pack.ts.
 */
import { type Static, Type } from 'typebox';
import { LanguageTag, Name } from '../lib/name.ts';

export { Name };

const Id = Type.String({ pattern: '^[a-z][a-z0-9-]*$' });

export const LonLat = Type.Tuple(
  [Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })],
  { description: '[lon, lat], WGS 84 degrees' },
);
export type LonLat = Static<typeof LonLat>;

const Sources = Type.Array(Type.String({ minLength: 1 }), {
  minItems: 1,
  description: 'keys of the pack’s sources that the figures come from',
});
const Population = Type.Integer({ minimum: 1 });
const Year = Type.Integer({ minimum: 1900, maximum: 2100 });
const Area = Type.Number({ exclusiveMinimum: 0 });
const strict = { additionalProperties: false } as const;

export const Jurisdiction = Type.Object(
  {
    id: Id,
    name: Name,
    kind: Type.Union([Type.Literal('municipality'), Type.Literal('province'), Type.Literal('prefecture')]),
    sources: Sources,
  },
  strict,
);
export type Jurisdiction = Static<typeof Jurisdiction>;

export const City = Type.Object(
  {
    id: Id,
    name: Name,
    jurisdiction: Id,
    population: Population,
    populationYear: Year,
    areaKm2: Area,
    centroid: LonLat,
    sources: Sources,
  },
  strict,
);
export type City = Static<typeof City>;

export const District = Type.Object(
  {
    id: Id,
    name: Name,
    city: Id,
    zone: Type.String({ minLength: 1 }),
    population: Population,
    populationYear: Year,
    areaKm2: Area,
    centroid: LonLat,
    sources: Sources,
  },
  strict,
);
export type District = Static<typeof District>;

/** A place outside the region that is tied to it (Hangzhou for the SMA). */
export const LinkedPlace = Type.Object(
  {
    id: Id,
    name: Name,
    jurisdiction: Id,
    kind: Type.String({ minLength: 1 }),
    relation: Type.String({ minLength: 1 }),
    centroid: LonLat,
    population: Type.Optional(Population),
    populationYear: Type.Optional(Year),
    areaKm2: Type.Optional(Area),
    sources: Sources,
  },
  strict,
);
export type LinkedPlace = Static<typeof LinkedPlace>;

export const Source = Type.Object(
  {
    title: Type.String({ minLength: 1 }),
    publisher: Type.String({ minLength: 1 }),
    year: Year,
    url: Type.Optional(Type.String()),
    note: Type.Optional(Type.String()),
  },
  strict,
);
export type Source = Static<typeof Source>;

/** `region.json`: the region, its languages, jurisdictions and places, and the sources of its figures. */
export const RegionFile = Type.Object(
  {
    id: Id,
    name: Name,
    languages: Type.Array(LanguageTag, {
      minItems: 1,
      description:
        'the languages every name is given in, as BCP 47 tags; the first is the default for display',
    }),
    /** Whoever runs Tongcheng in the region: the party `tongcheng`, named as the pack chooses. */
    schemeName: Name,
    timeZone: Type.String({ minLength: 1 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    jurisdictions: Type.Array(Jurisdiction, { minItems: 1 }),
    cities: Type.Array(City, { minItems: 1 }),
    districts: Type.Array(District),
    linkedPlaces: Type.Array(LinkedPlace),
    sources: Type.Record(Type.String(), Source),
  },
  strict,
);
/** What the API serves as the region: `region.json` as loaded. */
export type RegionSummary = Static<typeof RegionFile>;

/** `parties.json`: the operators, museums and agencies of the region. */
export const PackParty = Type.Object(
  {
    id: Id,
    kind: Type.Union([Type.Literal('operator'), Type.Literal('museum'), Type.Literal('agency')]),
    name: Name,
    jurisdiction: Id,
    city: Type.Optional(Id),
  },
  strict,
);
export type PackParty = Static<typeof PackParty>;
export const PartiesFile = Type.Array(PackParty);

/** A museum of the region's museum pass, and a party the ledger pays. */
export const Museum = Type.Object(
  {
    id: Id,
    name: Name,
    city: Id,
    /** Null where no position could be placed with confidence: left empty rather than guessed. */
    location: Type.Union([
      Type.Object(
        {
          lonLat: LonLat,
          approxKm: Type.Number({
            exclusiveMinimum: 0,
            description: 'how far the true entrance may be from lonLat, in km',
          }),
        },
        strict,
      ),
      Type.Null(),
    ]),
    /**
     * Why the position lies outside its city's (simplified) boundary. The loader refuses a
     * position outside without it, and one inside with it, so the flag never goes stale.
     */
    outsideBoundary: Type.Optional(Type.String({ minLength: 1 })),
    /** The reference price of one adult entry, in fen; 0 where entry is free. */
    priceFen: Type.Integer({ minimum: 0 }),
    priceNote: Type.Optional(Type.String({ minLength: 1 })),
    sources: Sources,
  },
  strict,
);
export type Museum = Static<typeof Museum>;

/** `museums.json` (optional): the museums and the sources of their figures. */
export const MuseumsFile = Type.Object(
  {
    sources: Type.Record(Type.String(), Source),
    museums: Type.Array(Museum),
  },
  strict,
);
export type Museums = Static<typeof MuseumsFile>;

const Ring = Type.Array(LonLat, { minItems: 4 });
const PolygonCoords = Type.Array(Ring, { minItems: 1 });
export const BoundaryKind = Type.Union([
  Type.Literal('city'),
  Type.Literal('district'),
  Type.Literal('linked'),
]);
export type BoundaryKind = Static<typeof BoundaryKind>;

/** `boundaries.geojson`, and the GeoJSON the API serves (every geometry as a MultiPolygon). */
export const BoundariesFile = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      properties: Type.Object({ kind: BoundaryKind, id: Id }),
      geometry: Type.Union([
        Type.Object({ type: Type.Literal('Polygon'), coordinates: PolygonCoords }),
        Type.Object({
          type: Type.Literal('MultiPolygon'),
          coordinates: Type.Array(PolygonCoords, { minItems: 1 }),
        }),
      ]),
    }),
  ),
});
export type Boundaries = Static<typeof BoundariesFile>;

export type Polygon = LonLat[][];
export type MultiPolygon = LonLat[][][];

/** A boundary as the loader keeps it: always a list of polygons (a Polygon is a MultiPolygon of one). */
export interface Boundary {
  kind: BoundaryKind;
  id: string;
  polygons: MultiPolygon;
}

export interface RegionPack extends RegionSummary {
  boundaries: Boundary[];
  /** `parties.json`: parties other than the jurisdictions, the scheme and `museums.json`'s museums. */
  parties: PackParty[];
  /** `museums.json`, or no museums and no sources when the pack has none. */
  museums: Museums;
}

const PlaceRef = Type.Union([Type.Object({ id: Type.String(), name: Name }), Type.Null()]);

/** The answer to "where is this point". */
export const Location = Type.Object({
  lat: Type.Number(),
  lon: Type.Number(),
  city: PlaceRef,
  district: PlaceRef,
  jurisdiction: PlaceRef,
  /** A place outside the region tied to it (e.g. Hangzhou), when the point is in no city but in its boundary. */
  linkedPlace: PlaceRef,
  /** Cities whose boundary passes within a few centimetres of the point (shared borders). */
  onBoundaryOf: Type.Array(Type.String(), { description: 'cities whose border passes through the point' }),
});
export type Location = Static<typeof Location>;

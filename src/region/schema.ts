/** The shape of a region pack's files, checked on load. Semantic checks live in pack.ts. */
import { Type } from 'typebox';

const Id = Type.String({ pattern: '^[a-z][a-z0-9-]*$' });
const Name = Type.Object(
  { zh: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
const LonLat = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
]);
const Sources = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });
const Population = Type.Integer({ minimum: 1 });
const Year = Type.Integer({ minimum: 1900, maximum: 2100 });
const Area = Type.Number({ exclusiveMinimum: 0 });

export const RegionFile = Type.Object(
  {
    id: Id,
    name: Name,
    timeZone: Type.String({ minLength: 1 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    jurisdictions: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Name,
          kind: Type.Union([Type.Literal('municipality'), Type.Literal('province')]),
          sources: Sources,
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    cities: Type.Array(
      Type.Object(
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
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    districts: Type.Array(
      Type.Object(
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
        { additionalProperties: false },
      ),
    ),
    linkedPlaces: Type.Array(
      Type.Object(
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
        { additionalProperties: false },
      ),
    ),
    sources: Type.Record(
      Type.String(),
      Type.Object(
        {
          title: Type.String({ minLength: 1 }),
          publisher: Type.String({ minLength: 1 }),
          year: Year,
          url: Type.Optional(Type.String()),
          note: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Ring = Type.Array(LonLat, { minItems: 4 });
const PolygonCoords = Type.Array(Ring, { minItems: 1 });

export const BoundariesFile = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      properties: Type.Object({
        kind: Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('linked')]),
        id: Id,
      }),
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

export const PartiesFile = Type.Array(
  Type.Object(
    {
      id: Id,
      kind: Type.Union([Type.Literal('operator'), Type.Literal('museum'), Type.Literal('agency')]),
      name: Name,
      jurisdiction: Id,
      city: Type.Optional(Id),
    },
    { additionalProperties: false },
  ),
);

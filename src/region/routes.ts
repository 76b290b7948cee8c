import { Type } from 'typebox';
import { type App, NameSchema, problemResponses } from '../lib/http.ts';
import type { Location } from './model.ts';
import type { Region } from './region.ts';

const LonLat = Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat], WGS 84' });
const Sources = Type.Array(Type.String());

const Jurisdiction = Type.Object({
  id: Type.String(),
  name: NameSchema,
  kind: Type.String(),
  sources: Sources,
});
const City = Type.Object({
  id: Type.String(),
  name: NameSchema,
  jurisdiction: Type.String(),
  population: Type.Integer(),
  populationYear: Type.Integer(),
  areaKm2: Type.Number(),
  centroid: LonLat,
  sources: Sources,
});
const District = Type.Object({
  id: Type.String(),
  name: NameSchema,
  city: Type.String(),
  zone: Type.String(),
  population: Type.Integer(),
  populationYear: Type.Integer(),
  areaKm2: Type.Number(),
  centroid: LonLat,
  sources: Sources,
});
const LinkedPlace = Type.Object({
  id: Type.String(),
  name: NameSchema,
  jurisdiction: Type.String(),
  kind: Type.String(),
  relation: Type.String(),
  centroid: LonLat,
  population: Type.Optional(Type.Integer()),
  populationYear: Type.Optional(Type.Integer()),
  areaKm2: Type.Optional(Type.Number()),
  sources: Sources,
});
const Source = Type.Object({
  title: Type.String(),
  publisher: Type.String(),
  year: Type.Integer(),
  url: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});
const RegionSummary = Type.Object({
  id: Type.String(),
  name: NameSchema,
  timeZone: Type.String(),
  currency: Type.String(),
  jurisdictions: Type.Array(Jurisdiction),
  cities: Type.Array(City),
  districts: Type.Array(District),
  linkedPlaces: Type.Array(LinkedPlace),
  sources: Type.Record(Type.String(), Source),
});
const Ref = Type.Union([Type.Object({ id: Type.String(), name: NameSchema }), Type.Null()]);
const LocationSchema = Type.Object({
  lat: Type.Number(),
  lon: Type.Number(),
  city: Ref,
  district: Ref,
  jurisdiction: Ref,
  linkedPlace: Ref,
  onBoundaryOf: Type.Array(Type.String(), { description: 'cities whose border passes through the point' }),
});

const ref = (place: { id: string; name: { zh: string; en: string } } | null) =>
  place && { id: place.id, name: place.name };

export const locationBody = (l: Location) => ({
  lat: l.lat,
  lon: l.lon,
  city: ref(l.city),
  district: ref(l.district),
  jurisdiction: ref(l.jurisdiction),
  linkedPlace: ref(l.linkedPlace),
  onBoundaryOf: l.onBoundaryOf,
});

export function regionRoutes(app: App, region: Region): void {
  const tags = ['region'];
  const { boundaries: _boundaries, parties: _parties, ...summary } = region.pack;

  app.get(
    '/api/region',
    {
      schema: {
        tags,
        summary: 'The region: jurisdictions, cities, districts, linked places',
        response: { 200: RegionSummary },
      },
    },
    async () => summary,
  );

  app.get(
    '/api/region/cities',
    { schema: { tags, summary: 'The member cities', response: { 200: Type.Array(City) } } },
    async () => region.pack.cities,
  );

  app.get(
    '/api/region/cities/:id',
    {
      schema: {
        tags,
        summary: 'One city, by id or by name (zh or en)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: City, ...problemResponses },
      },
    },
    async (request) => region.city(request.params.id),
  );

  app.get(
    '/api/region/boundaries',
    {
      schema: {
        tags,
        summary: 'Boundaries of cities and districts as a GeoJSON FeatureCollection',
        produces: ['application/geo+json'],
      },
    },
    async (_request, reply) => reply.type('application/geo+json').send(region.boundariesGeoJson()),
  );

  app.get(
    '/api/region/locate',
    {
      schema: {
        tags,
        summary: 'Which city, district and jurisdiction contain a point',
        querystring: Type.Object({
          lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude, WGS 84 degrees' }),
          lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude, WGS 84 degrees' }),
        }),
        response: { 200: LocationSchema, ...problemResponses },
      },
    },
    async (request) => locationBody(region.locate(request.query.lat, request.query.lon)),
  );
}

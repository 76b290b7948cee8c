import { Type } from 'typebox';
import { type App, problemResponses } from '../lib/http.ts';
import { BoundariesFile, City, Location, MuseumsFile, RegionFile } from './model.ts';
import type { Region } from './region.ts';

export function regionRoutes(app: App, region: Region): void {
  const tags = ['region'];
  const { boundaries: _boundaries, parties: _parties, museums: _museums, ...summary } = region.pack;

  app.get(
    '/api/region',
    {
      schema: {
        tags,
        summary: 'The region: jurisdictions, cities, districts, linked places, sources',
        response: { 200: RegionFile },
      },
      config: { access: 'public' },
    },
    async () => summary,
  );

  app.get(
    '/api/region/cities',
    {
      schema: { tags, summary: 'The member cities', response: { 200: Type.Array(City) } },
      config: { access: 'public' },
    },
    async () => region.pack.cities,
  );

  app.get(
    '/api/region/cities/:id',
    {
      schema: {
        tags,
        summary: 'One city, by id or by name in any of the pack’s languages',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: City, ...problemResponses },
      },
      config: { access: 'public' },
    },
    async (request) => region.city(request.params.id),
  );

  app.get(
    '/api/region/boundaries',
    {
      schema: {
        tags,
        summary: 'Boundaries of cities, districts and linked places as a GeoJSON FeatureCollection',
        produces: ['application/geo+json'],
        response: { 200: BoundariesFile },
      },
      config: { access: 'public' },
    },
    async (_request, reply) => reply.type('application/geo+json').send(region.boundariesGeoJson()),
  );

  app.get(
    '/api/region/locate',
    {
      schema: {
        tags,
        summary: 'Which city, district and jurisdiction contain a point',
        querystring: Type.Object(
          {
            lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude, WGS 84 degrees' }),
            lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude, WGS 84 degrees' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Location, ...problemResponses },
      },
      config: { access: 'public' },
    },
    async (request) => region.locate(request.query.lat, request.query.lon),
  );

  app.get(
    '/api/region/museums',
    {
      schema: {
        tags,
        summary:
          'The museums of the museum pass, with their reference prices and the sources of their figures',
        querystring: Type.Object(
          {
            city: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'a city by id or by name' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: MuseumsFile, ...problemResponses },
      },
      config: { access: 'public' },
    },
    async (request) => ({
      sources: region.pack.museums.sources,
      museums: region.museums(request.query.city),
    }),
  );
}

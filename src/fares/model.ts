/** The shapes of fares that cross a boundary: legs in, quotes out. Amounts are integer minor units (fen). */
import { type Static, Type } from 'typebox';

const ID = { minLength: 1, maxLength: 100 } as const;
const Id = Type.String(ID);
const IsoInstant = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'an ISO 8601 instant with an offset or Z, e.g. 2026-12-01T08:00:00+08:00',
  examples: ['2026-12-01T08:00:00+08:00'],
});

export const FareLeg = Type.Object(
  {
    operator: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'agency_id: the party id of the operator that carried the leg',
      examples: ['shanghai-metro'],
    }),
    route: Type.Optional(Type.String({ ...ID, description: 'route_id, when known (buses, rail)' })),
    network: Type.Optional(
      Type.String({ ...ID, description: "network_id; else the route's, else the operator's only network" }),
    ),
    from: Type.String({
      ...Id,
      description: 'stop_id where the leg began',
      examples: ['shm-hongqiao-rs'],
    }),
    to: Type.Optional(
      Type.Union([Type.String(ID), Type.Null()], {
        description: 'stop_id where it ended; null or absent: no tap-out, the maximum fare from `from`',
      }),
    ),
    start: IsoInstant,
    end: Type.Optional(IsoInstant),
  },
  { additionalProperties: false },
);
export type FareLeg = Static<typeof FareLeg>;

export const QuoteOptions = Type.Object(
  {
    riderCategory: Type.Optional(
      Type.String({ ...ID, description: "rider_category_id; the feed's default when absent" }),
    ),
    fareMedium: Type.Optional(Type.String({ ...ID, description: 'fare_media_id, e.g. the regional card' })),
  },
  { additionalProperties: false },
);
export type QuoteOptions = Static<typeof QuoteOptions>;

export const QuoteRequest = Type.Object(
  {
    legs: Type.Array(FareLeg, { minItems: 1, maxItems: 500 }),
    riderCategory: QuoteOptions.properties.riderCategory,
    fareMedium: QuoteOptions.properties.fareMedium,
  },
  { additionalProperties: false },
);
export type QuoteRequest = Static<typeof QuoteRequest>;

export const LegFare = Type.Object({
  leg: Type.Integer({ description: 'index of the leg in the request' }),
  amount: Type.Integer({
    description: 'what this leg costs after transfers and caps; the legs sum to total',
  }),
  single: Type.Integer({ description: "the leg's own fare alone, as if it were the only one" }),
  product: Type.Union([Type.String(), Type.Null()], { description: 'fare_product_id of its own fare' }),
  rules: Type.Array(Type.String(), { description: 'which rules matched, for people' }),
});
export type LegFare = Static<typeof LegFare>;

export const Quote = Type.Object({
  currency: Type.String({ description: 'ISO 4217; amounts are in its minor unit' }),
  total: Type.Integer(),
  uncapped: Type.Integer({ description: 'the total before caps' }),
  legs: Type.Array(LegFare),
});
export type Quote = Static<typeof Quote>;

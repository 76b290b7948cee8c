/** The parties Tongcheng acts for, and the keys through which they act. */
import { type Static, Type } from 'typebox';
import { ROLES, type Role, SCHEME_PARTY_ID } from '../lib/access.ts';
import { Name } from '../lib/name.ts';

export const PARTY_KINDS = ['scheme', 'jurisdiction', 'operator', 'museum', 'agency'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const Party = Type.Object({
  id: Type.String(),
  kind: Type.Enum(PARTY_KINDS),
  name: Name,
  /** The jurisdiction a party belongs to; the scheme itself belongs to none. */
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
});
export type Party = Static<typeof Party>;

/** Which roles a key of a party of each kind may carry. `public` (read-only) fits every party. */
export const ROLES_BY_KIND: Record<PartyKind, readonly Role[]> = {
  scheme: ['admin', 'public'],
  jurisdiction: ['agency', 'public'],
  operator: ['operator', 'public'],
  museum: ['museum', 'public'],
  agency: ['agency', 'public'],
};

export const ApiKey = Type.Object({
  id: Type.String(),
  party: Type.String(),
  role: Type.Enum(ROLES),
  label: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ApiKey = Static<typeof ApiKey>;

export const NewKey = Type.Object(
  {
    party: Type.String({ minLength: 1, maxLength: 100, examples: [SCHEME_PARTY_ID] }),
    role: Type.Enum(ROLES, { examples: ['public'] }),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type NewKey = Static<typeof NewKey>;

/** A key as created: the secret is in this answer and never again. */
export const CreatedKey = Type.Object({ key: ApiKey, secret: Type.String() });
export type CreatedKey = Static<typeof CreatedKey>;

/** One Ticket, One Region: the annual museum pass and its signed tokens. */
import { type Static, Type } from 'typebox';
import { REASONS } from './token/result.ts';

export const PASS_STATUSES = ['active', 'revoked'] as const;

export const Pass = Type.Object({
  id: Type.String(),
  holder: Type.String(),
  /** Where the gate finds the holder's photo. */
  photo: Type.String(),
  status: Type.Enum(PASS_STATUSES),
  /** A year from activation: the pass's own validity, carried in every token. */
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.String({ format: 'date-time' }),
  issuedAt: Type.String({ format: 'date-time' }),
});
export type Pass = Static<typeof Pass>;

export const NewPass = Type.Object(
  {
    holder: Type.String({ minLength: 1, maxLength: 100, examples: ['张三'] }),
    /** Hashed with the pass id into the token; never stored nor put in a token as it is. */
    idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40, examples: ['310101199001011234'] })),
    photo: Type.Optional(Type.String({ maxLength: 200, examples: ['photo:desk-0001'] })),
  },
  { additionalProperties: false },
);
export type NewPass = Static<typeof NewPass>;

export const IssuedToken = Type.Object({
  pass: Pass,
  /** `TC1:` + Base45; what the QR code holds. */
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  kid: Type.String({ description: 'the signing key id, hex' }),
});
export type IssuedToken = Static<typeof IssuedToken>;

export const Verification = Type.Union([
  Type.Object({
    ok: Type.Literal(true),
    pass: Type.Object({
      id: Type.String(),
      holder: Type.String(),
      photo: Type.String(),
      validUntil: Type.String({ format: 'date-time' }),
    }),
    tokenExpiresAt: Type.String({ format: 'date-time' }),
  }),
  Type.Object({
    ok: Type.Literal(false),
    reason: Type.Enum([...REASONS, 'revoked'] as const),
    detail: Type.String(),
  }),
]);
export type Verification = Static<typeof Verification>;

export const TrustedKey = Type.Object({
  kid: Type.String({ description: 'hex' }),
  /** The public key's SPKI, base64url. */
  spki: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  /** After this instant the key signs nothing new; gates trust it until its last tokens expire. */
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type TrustedKey = Static<typeof TrustedKey>;

/** Metropolitan Tong: cards, validators, taps, trips and the answers about them. */
import { type Static, Type } from 'typebox';
import { SettlementRun, Statement } from '../ledger/model.ts';

export const RIDER_CATEGORIES = ['adult', 'student', 'senior'] as const;
export type RiderCategory = (typeof RIDER_CATEGORIES)[number];

export const CARD_STATUSES = ['active', 'hotlisted', 'replaced'] as const;

/** The card the API's examples name (and the API checks plant). */
export const EXAMPLE_CARD = '3100000000000011';

/** Sixteen digits, the last a Luhn check digit, as on the card's face. */
export const CardNumber = Type.String({
  pattern: '^[0-9]{16}$',
  examples: [EXAMPLE_CARD],
  description: 'the sixteen digits on the card, the last a Luhn check digit',
});

export const Card = Type.Object({
  number: CardNumber,
  status: Type.Enum(CARD_STATUSES),
  category: Type.Enum(RIDER_CATEGORIES),
  /** The jurisdiction whose issuer holds the card's stored value. */
  issuer: Type.String(),
  issuedAt: Type.String({ format: 'date-time' }),
  hotlistedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  replacedBy: Type.Union([CardNumber, Type.Null()]),
  /** Stored value in fen (posted); negative is a debt the next top-up settles. */
  balance: Type.Integer(),
  /** Fen held by tap-ins waiting for their tap-out. */
  held: Type.Integer(),
});
export type Card = Static<typeof Card>;

export const NewCard = Type.Object(
  {
    number: Type.Optional(CardNumber),
    category: Type.Enum(RIDER_CATEGORIES, { examples: ['adult'] }),
    issuer: Type.String({ minLength: 1, maxLength: 100, examples: ['shanghai'] }),
  },
  { additionalProperties: false },
);
export type NewCard = Static<typeof NewCard>;

export const TopUp = Type.Object(
  {
    /** Chosen by the sender: the same top-up sent twice is credited once. */
    id: Type.String({ minLength: 1, maxLength: 64, examples: ['topup-0001'] }),
    amount: Type.Integer({ minimum: 1, maximum: 100_000, examples: [5000], description: 'fen' }),
  },
  { additionalProperties: false },
);
export type TopUp = Static<typeof TopUp>;

export const HotlistRequest = Type.Object(
  {
    reason: Type.Enum(['lost', 'stolen', 'damaged', 'fraud'] as const, { examples: ['lost'] }),
    /** When the card was lost; taps after this instant are refused. Now when left out. */
    at: Type.Optional(Type.String({ format: 'date-time', examples: ['2026-12-01T08:00:00+08:00'] })),
  },
  { additionalProperties: false },
);
export type HotlistRequest = Static<typeof HotlistRequest>;

export const Validator = Type.Object({
  id: Type.String(),
  party: Type.String({ description: 'the operator whose device it is' }),
  /** Ed25519 public key, the 32 raw bytes in base64url. */
  publicKey: Type.String(),
  registeredAt: Type.String({ format: 'date-time' }),
  /** The highest batch number received, and the numbers below it never received. */
  lastBatch: Type.Integer(),
  missingBatches: Type.Array(Type.Integer()),
});
export type Validator = Static<typeof Validator>;

export const NewValidator = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9._:-]+$',
      examples: ['v-example-1'],
    }),
    party: Type.String({ minLength: 1, maxLength: 100, examples: ['shanghai-metro'] }),
    publicKey: Type.String({
      pattern: '^[A-Za-z0-9_-]{43}$',
      examples: ['11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'],
      description: 'Ed25519 public key: 32 bytes, base64url without padding',
    }),
  },
  { additionalProperties: false },
);
export type NewValidator = Static<typeof NewValidator>;

/**
 * What a validator records: `entry` and `exit` at gated stations (metro, rail), `board` on a
 * bus (one tap; `route` names the line).
 */
export const TAP_KINDS = ['entry', 'exit', 'board'] as const;
export type TapKind = (typeof TAP_KINDS)[number];

export const Tap = Type.Object(
  {
    /** Chosen by the validator, unique for ever: the same tap sent twice counts once. */
    id: Type.String({ minLength: 1, maxLength: 64, examples: ['v-example-1:1'] }),
    card: CardNumber,
    kind: Type.Enum(TAP_KINDS, { examples: ['entry'] }),
    stop: Type.String({ minLength: 1, maxLength: 100, examples: ['sh-renmin-guangchang'] }),
    route: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    at: Type.String({ format: 'date-time', examples: ['2026-12-01T08:00:00+08:00'] }),
  },
  { additionalProperties: false },
);
export type Tap = Static<typeof Tap>;

/**
 * A validator's upload: numbered 1, 2, 3 … per device, signed with the device's key over
 * `batchPayload` (see signing.ts). Taps may be hours old and in any order.
 */
export const TapBatch = Type.Object(
  {
    device: Type.String({ minLength: 1, maxLength: 64, examples: ['v-example-1'] }),
    seq: Type.Integer({ minimum: 1, maximum: 2 ** 40, examples: [1] }),
    taps: Type.Array(Tap, { minItems: 1, maxItems: 5000 }),
    /** Ed25519 signature of the payload, base64url. */
    signature: Type.String({ minLength: 1, maxLength: 200, examples: ['AAAA'] }),
  },
  { additionalProperties: false },
);
export type TapBatch = Static<typeof TapBatch>;

/** Why a tap was refused; the tap changed nothing. */
export const TAP_REJECTIONS = [
  'bad-signature',
  'unknown-device',
  'device-of-another-operator',
  'unknown-card',
  'hotlisted-card',
  'time-in-future',
  'unknown-stop',
  'no-fare',
  'tap-exists-different',
] as const;
export type TapRejection = (typeof TAP_REJECTIONS)[number];

export const TapResult = Type.Object({
  id: Type.String(),
  result: Type.Union([Type.Enum(['accepted', 'exists'] as const), Type.Enum(TAP_REJECTIONS)]),
});
export type TapResult = Static<typeof TapResult>;

export const BatchResult = Type.Object({
  device: Type.String(),
  seq: Type.Integer(),
  /** `exists`: this batch was received before; the results are those it got then. */
  status: Type.Enum(['accepted', 'exists', 'rejected'] as const),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  taps: Type.Array(TapResult),
  /** Batch numbers of this device below the highest received that have not arrived. */
  missingBatches: Type.Array(Type.Integer()),
});
export type BatchResult = Static<typeof BatchResult>;

export const TripLeg = Type.Object({
  operator: Type.String(),
  from: Type.String(),
  to: Type.Union([Type.String(), Type.Null()]),
  /** The stops' names as the fare feed gives them. */
  fromName: Type.Union([Type.String(), Type.Null()]),
  toName: Type.Union([Type.String(), Type.Null()]),
  route: Type.Union([Type.String(), Type.Null()]),
  start: Type.String({ format: 'date-time' }),
  end: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** `complete`, or what was missing: such a leg is charged the maximum fare from where it began. */
  status: Type.Enum(['complete', 'no-exit', 'no-entry', 'open'] as const),
  /** Fen: the leg alone, and what it costs after transfers, caps and category. */
  single: Type.Integer(),
  fare: Type.Integer(),
  rules: Type.Array(Type.String()),
});
export type TripLeg = Static<typeof TripLeg>;

/** A leg as its operator sees it: the card masked to its last four digits. */
export const OperatorLeg = Type.Object({
  card: Type.String({ description: 'the last four digits' }),
  category: Type.Enum(RIDER_CATEGORIES),
  from: Type.String(),
  to: Type.Union([Type.String(), Type.Null()]),
  start: Type.String({ format: 'date-time' }),
  end: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Enum(['complete', 'no-exit', 'no-entry', 'open'] as const),
  fare: Type.Integer(),
});
export type OperatorLeg = Static<typeof OperatorLeg>;

export const CardDay = Type.Object({
  serviceDate: Type.String({ format: 'date' }),
  legs: Type.Array(TripLeg),
  total: Type.Integer(),
});
export type CardDay = Static<typeof CardDay>;

export const HotlistDelta = Type.Object({
  /** The version this answer brings a validator to; ask with `since` set to it next time. */
  version: Type.Integer(),
  entries: Type.Array(
    Type.Object({
      version: Type.Integer(),
      card: CardNumber,
      at: Type.String({ format: 'date-time' }),
    }),
  ),
});
export type HotlistDelta = Static<typeof HotlistDelta>;

export const Flow = Type.Object({
  from: Type.String({ description: 'city id' }),
  to: Type.String(),
  trips: Type.Integer(),
  riders: Type.Integer(),
});
export type Flow = Static<typeof Flow>;

/** An operator's fares of a service date, worked out again from the taps, beside the ledger's. */
export const TieBack = Type.Object({
  operator: Type.String(),
  legs: Type.Integer(),
  fromTaps: Type.Integer({ description: 'fen, the fares worked out again from the taps' }),
  ledger: Type.Integer({ description: 'fen, the net of the fares posted to the ledger' }),
  agrees: Type.Boolean(),
});
export type TieBack = Static<typeof TieBack>;

export const CardSettlement = Type.Object({
  date: Type.String(),
  run: SettlementRun,
  tieBack: Type.Array(TieBack),
});
export type CardSettlement = Static<typeof CardSettlement>;

export const CardStatement = Type.Object({
  date: Type.String(),
  kinds: Type.Array(Type.String(), { description: "the ledger's transfer kinds the statement counts" }),
  statement: Statement,
  tieBack: Type.Array(TieBack),
});
export type CardStatement = Static<typeof CardStatement>;

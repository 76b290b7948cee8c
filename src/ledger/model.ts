/**
 * The ledger's shapes: accounts, transfers, balances, settlement runs and statements. Money is
 * always integer fen. Modelled on TigerBeetle's accounts and transfers: a transfer moves an
 * amount from one account (its debit) to another (its credit), so debits equal credits by
 * construction.
 */
import { type Static, Type } from 'typebox';
import type { ProblemCode } from '../lib/errors.ts';

/** Fen: a non-negative JS safe integer. */
const Fen = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'fen' });
const SignedFen = Type.Integer({
  minimum: -Number.MAX_SAFE_INTEGER,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'fen; positive: owed to the party',
});
const IsoInstant = Type.String({ format: 'date-time', examples: ['2026-12-01T00:00:00.000Z'] });

export const CURRENCY = 'CNY';

export const AccountFlags = Type.Object(
  {
    /** The account may never be debited beyond what it was credited (stored value, say). */
    debitsMustNotExceedCredits: Type.Optional(Type.Boolean()),
    /** The account may never be credited beyond what it was debited. */
    creditsMustNotExceedDebits: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AccountFlags = Static<typeof AccountFlags>;

/** What `ensureAccounts` is given. By convention ids are `${party}:${purpose}`, or `card:${cardId}`. */
export const AccountSpec = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    party: Type.String({ minLength: 1, maxLength: 100 }),
    purpose: Type.String({ minLength: 1, maxLength: 50 }),
    currency: Type.Optional(Type.Literal(CURRENCY)),
    flags: Type.Optional(AccountFlags),
  },
  { additionalProperties: false },
);
export type AccountSpec = Static<typeof AccountSpec>;

export const Account = Type.Object({
  id: Type.String(),
  party: Type.String(),
  purpose: Type.String(),
  currency: Type.Literal(CURRENCY),
  flags: AccountFlags,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Account = Static<typeof Account>;

export const Balance = Type.Object({
  debitsPosted: Fen,
  creditsPosted: Fen,
  debitsPending: Fen,
  creditsPending: Fen,
});
export type Balance = Static<typeof Balance>;

export const AccountWithBalance = Type.Object({ ...Account.properties, balance: Balance });
export type AccountWithBalance = Static<typeof AccountWithBalance>;

/**
 * A transfer as the sender asks for it. `id` is the sender's: sending it again is safe. A
 * pending transfer holds its amount until a later transfer posts (`postPending`, possibly less)
 * or voids (`voidPending`) it, or its timeout passes. `linked`: this transfer and the next
 * succeed or fail together (a chain ends with a transfer without `linked`).
 */
export interface NewTransfer {
  id: string;
  debit: string;
  credit: string;
  /** Fen, > 0. For a post: what is posted, at most the pending amount (default: all of it); for a void, if given, the pending amount. */
  amount?: number;
  /** Business time (ISO 8601 with offset): settlement periods use it. */
  at: string;
  kind: string;
  reference?: string | null;
  /** The id of the transfer this one corrects. */
  corrects?: string | null;
  pending?: { timeoutSeconds?: number };
  postPending?: { pendingId: string; amount?: number };
  voidPending?: { pendingId: string };
  linked?: boolean;
}

export const TRANSFER_TYPES = ['single', 'pending', 'post', 'void'] as const;
export type TransferType = (typeof TRANSFER_TYPES)[number];

/** A transfer as the ledger keeps it, for ever and unchanged. */
export const Transfer = Type.Object({
  id: Type.String(),
  debit: Type.String(),
  credit: Type.String(),
  amount: Fen,
  type: Type.Enum(TRANSFER_TYPES, {
    description:
      'single: posted at once; pending: a hold; post, void: resolve the pending transfer pendingId',
  }),
  pendingId: Type.Union([Type.String(), Type.Null()]),
  timeoutSeconds: Type.Union([Type.Integer(), Type.Null()]),
  linked: Type.Boolean(),
  kind: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
  corrects: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ format: 'date-time', description: 'business time, UTC' }),
  postedAt: Type.String({ format: 'date-time', description: 'when the ledger recorded it' }),
});
export type Transfer = Static<typeof Transfer>;

/** One result per transfer sent, in order: created, exists (same id and content), or why not. */
export interface TransferResult {
  id: string;
  result: 'created' | 'exists' | ProblemCode;
  /** For people, when it failed. */
  detail?: string;
}

export const GROUP_BY = ['party', 'jurisdiction'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const SettleRequest = Type.Object(
  {
    from: IsoInstant,
    to: Type.String({ format: 'date-time', examples: ['2026-12-02T00:00:00.000Z'] }),
    groupBy: Type.Optional(Type.Enum(GROUP_BY, { default: 'party' })),
    kinds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
        maxItems: 50,
        description: 'only these kinds count',
      }),
    ),
    purposes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
        maxItems: 50,
        description: 'only transfers with an account of one of these purposes count',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SettleRequest = Static<typeof SettleRequest>;

export const Position = Type.Object({ party: Type.String(), net: SignedFen });
export type Position = Static<typeof Position>;

export const Payment = Type.Object({ from: Type.String(), to: Type.String(), amount: Fen });
export type Payment = Static<typeof Payment>;

/** Money between two parties (or groups) of one kind in a period: from the debit side to the credit side. */
export const Flow = Type.Object({
  debit: Type.String({ description: 'the party (or group) whose accounts were debited' }),
  credit: Type.String(),
  kind: Type.String(),
  count: Type.Integer(),
  amount: Fen,
});
export type Flow = Static<typeof Flow>;

export const PositionChange = Type.Object({ party: Type.String(), before: SignedFen, after: SignedFen });

export const SettlementRun = Type.Object({
  id: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  groupBy: Type.Enum(GROUP_BY),
  kinds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  purposes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: Type.String({ format: 'date-time', description: 'transfers recorded after it do not count' }),
  transfers: Type.Integer({ description: 'how many transfers the run counted' }),
  positions: Type.Array(Position),
  payments: Type.Array(Payment),
  /** The netting: 'exact' (the fewest payments) when the non-zero parties are few, else 'greedy' (at most n − 1). */
  netting: Type.Enum(['exact', 'greedy']),
  flows: Type.Array(Flow),
  previous: Type.Union([Type.String(), Type.Null()], {
    description: 'the latest earlier run of the same period and filters',
  }),
  changes: Type.Array(PositionChange, { description: 'positions that differ from the previous run' }),
});
export type SettlementRun = Static<typeof SettlementRun>;

export const StatementLine = Type.Object({
  counterparty: Type.String(),
  kind: Type.String(),
  debitCount: Type.Integer(),
  debits: Fen,
  creditCount: Type.Integer(),
  credits: Fen,
  net: SignedFen,
});
export type StatementLine = Static<typeof StatementLine>;

export const Statement = Type.Object({
  run: Type.Union([Type.String(), Type.Null()], {
    description: 'null for a statement of a period not recorded',
  }),
  party: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  lines: Type.Array(StatementLine),
  totals: Type.Object({
    debitCount: Type.Integer(),
    debits: Fen,
    creditCount: Type.Integer(),
    credits: Fen,
    net: SignedFen,
  }),
});
export type Statement = Static<typeof Statement>;

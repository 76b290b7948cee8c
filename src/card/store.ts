import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect, Executor } from '../store/index.ts';
import type { RiderCategory, TapKind, TapResult } from './model.ts';
import type { StoredTap } from './trips.ts';

type CardTables = {
  card_cards: {
    number: string;
    /** Opaque: the ledger's account names this, never the card number. */
    account: string;
    status: string;
    category: string;
    issuer: string;
    issued_at: string;
    hotlisted_at: string | null;
    hotlisted_ms: number | string | null;
    hotlist_reason: string | null;
    replaced_by: string | null;
  };
  card_validators: {
    id: string;
    party: string;
    public_key: string;
    registered_at: string;
    last_seq: number | string;
    batches: number | string;
  };
  card_batches: {
    device: string;
    seq: number | string;
    digest: string;
    received_at: string;
    results: string;
  };
  card_taps: {
    id: string;
    card: string;
    device: string;
    operator: string;
    kind: string;
    stop: string;
    route: string | null;
    at_ms: number | string;
    week: number;
    digest: string;
  };
  /** What has been posted to the ledger for a card, service day and operator; `postings` numbers the transfers. */
  card_charges: {
    card: string;
    day: number;
    operator: string;
    amount: number | string;
    postings: number;
  };
  /** Tap-ins whose maximum fare is held until their exit arrives. */
  card_holds: { tap: string; card: string; released: number };
  card_hotlist: { version: number; card: string; at: string };
};

export const migrations: Record<string, Migration> = {
  '2026-12-02-01-card': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('card_cards')
        .addColumn('number', 'text', (c) => c.primaryKey())
        .addColumn('account', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('hotlisted_at', 'text')
        .addColumn('hotlisted_ms', 'bigint')
        .addColumn('hotlist_reason', 'text')
        .addColumn('replaced_by', 'text')
        .execute();
      await db.schema
        .createTable('card_validators')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('batches', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('card_batches')
        .addColumn('device', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('results', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('card_batches_pk', ['device', 'seq'])
        .execute();
      await db.schema
        .createTable('card_taps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('card', 'text', (c) => c.notNull())
        .addColumn('device', 'text', (c) => c.notNull())
        .addColumn('operator', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('stop', 'text', (c) => c.notNull())
        .addColumn('route', 'text')
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('week', 'integer', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('card_taps_by_week').on('card_taps').columns(['card', 'week']).execute();
      await db.schema.createIndex('card_taps_by_time').on('card_taps').columns(['at_ms']).execute();
      await db.schema
        .createTable('card_charges')
        .addColumn('card', 'text', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('operator', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('postings', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('card_charges_pk', ['card', 'day', 'operator'])
        .execute();
      await db.schema
        .createTable('card_holds')
        .addColumn('tap', 'text', (c) => c.primaryKey())
        .addColumn('card', 'text', (c) => c.notNull())
        .addColumn('released', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('card_hotlist')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('card', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

export interface CardRow {
  number: string;
  account: string;
  status: 'active' | 'hotlisted' | 'replaced';
  category: RiderCategory;
  issuer: string;
  issuedAt: string;
  hotlistedAt: string | null;
  hotlistedMs: number | null;
  hotlistReason: string | null;
  replacedBy: string | null;
}

export interface ValidatorRow {
  id: string;
  party: string;
  publicKey: string;
  registeredAt: string;
  lastSeq: number;
  batches: number;
}

export interface NewTapRow extends StoredTap {
  card: string;
  device: string;
  week: number;
  digest: string;
}

export interface ChargeRow {
  card: string;
  day: number;
  operator: string;
  amount: number;
  postings: number;
}

/** Rows per insert: well under SQLite's 32,766 variables and PostgreSQL's 65,535 parameters. */
const CHUNK = 500;
const chunks = <T>(items: readonly T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const toCard = (r: CardTables['card_cards']): CardRow => ({
  number: r.number,
  account: r.account,
  status: r.status as CardRow['status'],
  category: r.category as RiderCategory,
  issuer: r.issuer,
  issuedAt: r.issued_at,
  hotlistedAt: r.hotlisted_at,
  hotlistedMs: r.hotlisted_ms === null ? null : Number(r.hotlisted_ms),
  hotlistReason: r.hotlist_reason,
  replacedBy: r.replaced_by,
});

const toValidator = (r: CardTables['card_validators']): ValidatorRow => ({
  id: r.id,
  party: r.party,
  publicKey: r.public_key,
  registeredAt: r.registered_at,
  lastSeq: Number(r.last_seq),
  batches: Number(r.batches),
});

export class CardStore {
  private readonly db: Kysely<CardTables>;

  constructor(
    readonly executor: Executor,
    readonly dialect: Dialect,
  ) {
    this.db = executor.withTables<CardTables>();
  }

  on(executor: Executor): CardStore {
    return new CardStore(executor, this.dialect);
  }

  /** Inserts the cards whose numbers are free; answers the numbers it inserted. */
  async insertCards(cards: readonly CardRow[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const part of chunks(cards, 300)) {
      const rows = await this.db
        .insertInto('card_cards')
        .values(
          part.map((card) => ({
            number: card.number,
            account: card.account,
            status: card.status,
            category: card.category,
            issuer: card.issuer,
            issued_at: card.issuedAt,
            hotlisted_at: null,
            hotlisted_ms: null,
            hotlist_reason: null,
            replaced_by: null,
          })),
        )
        .onConflict((oc) => oc.column('number').doNothing())
        .returning('number')
        .execute();
      for (const r of rows) inserted.add(r.number);
    }
    return inserted;
  }

  async card(number: string): Promise<CardRow | undefined> {
    const r = await this.db
      .selectFrom('card_cards')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst();
    return r && toCard(r);
  }

  async cards(numbers: readonly string[]): Promise<Map<string, CardRow>> {
    const out = new Map<string, CardRow>();
    for (const part of chunks([...new Set(numbers)])) {
      const rows = await this.db.selectFrom('card_cards').selectAll().where('number', 'in', part).execute();
      for (const r of rows) out.set(r.number, toCard(r));
    }
    return out;
  }

  async listCards(limit: number, after?: string): Promise<CardRow[]> {
    let q = this.db.selectFrom('card_cards').selectAll().orderBy('number').limit(limit);
    if (after) q = q.where('number', '>', after);
    return (await q.execute()).map(toCard);
  }

  /**
   * Takes the cards' row locks on PostgreSQL (in number order, so two batches never deadlock):
   * while one transaction re-rates a card, another waits rather than post the same difference.
   * SQLite has one writer at a time already.
   */
  async lockCards(numbers: readonly string[]): Promise<void> {
    if (this.dialect !== 'postgres' || numbers.length === 0) return;
    for (const part of chunks([...numbers].sort())) {
      await sql`select number from card_cards where number in (${sql.join(part)}) order by number for update`.execute(
        this.executor,
      );
    }
  }

  async hotlist(
    number: string,
    at: string,
    atMs: number,
    reason: string,
    status: CardRow['status'],
    replacedBy: string | null,
  ) {
    await this.db
      .updateTable('card_cards')
      .set({ status, hotlisted_at: at, hotlisted_ms: atMs, hotlist_reason: reason, replaced_by: replacedBy })
      .where('number', '=', number)
      .execute();
    const last = await this.db
      .selectFrom('card_hotlist')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    await this.db.insertInto('card_hotlist').values({ version, card: number, at }).execute();
    return version;
  }

  async hotlistSince(version: number, limit: number) {
    const rows = await this.db
      .selectFrom('card_hotlist')
      .selectAll()
      .where('version', '>', version)
      .orderBy('version')
      .limit(limit)
      .execute();
    const last = await this.db
      .selectFrom('card_hotlist')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    return {
      rows: rows.map((r) => ({ version: Number(r.version), card: r.card, at: r.at })),
      latest: Number(last?.v ?? 0),
    };
  }

  async insertValidator(v: ValidatorRow): Promise<boolean> {
    const inserted = await this.db
      .insertInto('card_validators')
      .values({
        id: v.id,
        party: v.party,
        public_key: v.publicKey,
        registered_at: v.registeredAt,
        last_seq: 0,
        batches: 0,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async validator(id: string): Promise<ValidatorRow | undefined> {
    const r = await this.db.selectFrom('card_validators').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toValidator(r);
  }

  async listValidators(party?: string): Promise<ValidatorRow[]> {
    let q = this.db.selectFrom('card_validators').selectAll().orderBy('id');
    if (party) q = q.where('party', '=', party);
    return (await q.execute()).map(toValidator);
  }

  /** The batch numbers below the device's highest that never arrived (at most `limit`). */
  async missingBatches(device: ValidatorRow, limit = 1000): Promise<number[]> {
    if (device.batches >= device.lastSeq) return [];
    const rows = await this.db
      .selectFrom('card_batches')
      .select('seq')
      .where('device', '=', device.id)
      .orderBy('seq')
      .execute();
    const seen = new Set(rows.map((r) => Number(r.seq)));
    const missing: number[] = [];
    for (let s = 1; s < device.lastSeq && missing.length < limit; s++) if (!seen.has(s)) missing.push(s);
    return missing;
  }

  /** Claims (device, seq); false when it was received before. On PostgreSQL a concurrent claim waits for this one's end. */
  async claimBatch(device: string, seq: number, digest: string, receivedAt: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('card_batches')
      .values({ device, seq, digest, received_at: receivedAt, results: '{}' })
      .onConflict((oc) => oc.columns(['device', 'seq']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The batch's digest, and its taps' results other than `accepted`, by position in the batch. */
  async batch(
    device: string,
    seq: number,
  ): Promise<{ digest: string; results: Record<string, TapResult['result']> } | undefined> {
    const r = await this.db
      .selectFrom('card_batches')
      .select(['digest', 'results'])
      .where('device', '=', device)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return r && { digest: r.digest, results: JSON.parse(r.results) };
  }

  async finishBatch(device: ValidatorRow, seq: number, results: TapResult[]): Promise<ValidatorRow> {
    await this.db
      .updateTable('card_batches')
      // Only what was not accepted, by position: a batch sent again carries its taps' ids itself.
      .set({
        results: JSON.stringify(
          Object.fromEntries(results.flatMap((r, i) => (r.result === 'accepted' ? [] : [[i, r.result]]))),
        ),
      })
      .where('device', '=', device.id)
      .where('seq', '=', seq)
      .execute();
    const lastSeq = Math.max(device.lastSeq, seq);
    await this.db
      .updateTable('card_validators')
      .set((eb) => ({
        last_seq: sql`case when last_seq > ${seq} then last_seq else ${seq} end`,
        batches: eb('batches', '+', 1),
      }))
      .where('id', '=', device.id)
      .execute();
    return { ...device, lastSeq, batches: device.batches + 1 };
  }

  /** The digests of those of `ids` already stored. */
  async tapDigests(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks(ids)) {
      const rows = await this.db
        .selectFrom('card_taps')
        .select(['id', 'digest'])
        .where('id', 'in', part)
        .execute();
      for (const r of rows) out.set(r.id, r.digest);
    }
    return out;
  }

  async insertTaps(taps: readonly NewTapRow[]): Promise<void> {
    for (const part of chunks(taps, 300)) {
      await this.db
        .insertInto('card_taps')
        .values(
          part.map((t) => ({
            id: t.id,
            card: t.card,
            device: t.device,
            operator: t.operator,
            kind: t.kind,
            stop: t.stop,
            route: t.route,
            at_ms: t.atMs,
            week: t.week,
            digest: t.digest,
          })),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }

  /** Every tap of the given (card, week) pairs, grouped by `${card}|${week}`. */
  async tapsOfWeeks(pairs: readonly { card: string; week: number }[]): Promise<Map<string, StoredTap[]>> {
    const out = new Map<string, StoredTap[]>();
    const byWeek = new Map<number, string[]>();
    for (const p of pairs) {
      const list = byWeek.get(p.week) ?? [];
      list.push(p.card);
      byWeek.set(p.week, list);
    }
    for (const [week, cards] of byWeek) {
      for (const part of chunks(cards)) {
        const rows = await this.db
          .selectFrom('card_taps')
          .select(['id', 'card', 'operator', 'kind', 'stop', 'route', 'at_ms'])
          .where('week', '=', week)
          .where('card', 'in', part)
          .execute();
        for (const r of rows) {
          const key = `${r.card}|${week}`;
          const list = out.get(key) ?? [];
          list.push({
            id: r.id,
            operator: r.operator,
            kind: r.kind as TapKind,
            stop: r.stop,
            route: r.route,
            atMs: Number(r.at_ms),
          });
          out.set(key, list);
        }
      }
    }
    return out;
  }

  async weeksOfCard(card: string, fromWeek: number, toWeek: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('card_taps')
      .select('week')
      .distinct()
      .where('card', '=', card)
      .where('week', '>=', fromWeek)
      .where('week', '<=', toWeek)
      .orderBy('week')
      .execute();
    return rows.map((r) => Number(r.week));
  }

  /** What has been posted for the cards' days in [fromDay, toDay]. */
  async charges(cards: readonly string[], fromDay: number, toDay: number): Promise<ChargeRow[]> {
    const out: ChargeRow[] = [];
    for (const part of chunks([...new Set(cards)])) {
      const rows = await this.db
        .selectFrom('card_charges')
        .selectAll()
        .where('card', 'in', part)
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay)
        .execute();
      for (const r of rows) out.push({ ...r, amount: Number(r.amount), postings: Number(r.postings) });
    }
    return out;
  }

  async upsertCharges(rows: readonly ChargeRow[]): Promise<void> {
    for (const part of chunks(rows, 400)) {
      await this.db
        .insertInto('card_charges')
        .values(part.map((r) => ({ ...r })))
        .onConflict((oc) =>
          oc.columns(['card', 'day', 'operator']).doUpdateSet((eb) => ({
            amount: eb.ref('excluded.amount'),
            postings: eb.ref('excluded.postings'),
          })),
        )
        .execute();
    }
  }

  async holds(cards: readonly string[]): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    for (const part of chunks([...new Set(cards)])) {
      const rows = await this.db.selectFrom('card_holds').selectAll().where('card', 'in', part).execute();
      for (const r of rows) out.set(r.tap, Number(r.released) === 1);
    }
    return out;
  }

  async addHolds(rows: readonly { tap: string; card: string }[]): Promise<void> {
    for (const part of chunks(rows)) {
      await this.db
        .insertInto('card_holds')
        .values(part.map((r) => ({ ...r, released: 0 })))
        .onConflict((oc) => oc.column('tap').doNothing())
        .execute();
    }
  }

  async releaseHolds(taps: readonly string[]): Promise<void> {
    for (const part of chunks(taps)) {
      await this.db.updateTable('card_holds').set({ released: 1 }).where('tap', 'in', part).execute();
    }
  }

  /** The cards with a hold not yet released. */
  async cardsWithOpenHolds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('card_holds')
      .select('card')
      .distinct()
      .where('released', '=', 0)
      .execute();
    return rows.map((r) => r.card);
  }

  /** The cards with a tap on one operator's validators in [fromMs, toMs). */
  async cardsOfOperatorBetween(operator: string, fromMs: number, toMs: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('card_taps')
      .select('card')
      .distinct()
      .where('operator', '=', operator)
      .where('at_ms', '>=', fromMs)
      .where('at_ms', '<', toMs)
      .orderBy('card')
      .execute();
    return rows.map((r) => r.card);
  }

  /** The cards with a tap in [fromMs, toMs). */
  async cardsTappingBetween(fromMs: number, toMs: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('card_taps')
      .select('card')
      .distinct()
      .where('at_ms', '>=', fromMs)
      .where('at_ms', '<', toMs)
      .orderBy('card')
      .execute();
    return rows.map((r) => r.card);
  }

  /** Every tap in [fromMs, toMs) of the cards that tapped then, for flows between cities. */
  async tapsBetween(fromMs: number, toMs: number) {
    const rows = await this.db
      .selectFrom('card_taps')
      .select(['id', 'card', 'operator', 'kind', 'stop', 'route', 'at_ms'])
      .where('at_ms', '>=', fromMs)
      .where('at_ms', '<', toMs)
      .execute();
    return rows.map((r) => ({
      card: r.card,
      tap: {
        id: r.id,
        operator: r.operator,
        kind: r.kind as TapKind,
        stop: r.stop,
        route: r.route,
        atMs: Number(r.at_ms),
      },
    }));
  }
}

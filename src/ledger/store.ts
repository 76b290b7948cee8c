/**
 * The ledger's tables. Transfers are only ever inserted. What changes lives elsewhere: the
 * state of pending transfers (`ledger_pending`) and the running balances (`ledger_balances`),
 * which are sums of the transfers kept up to date in the same transaction.
 *
 * Balances are rows per (account, shard). An account with a limit has one row, shard 0, which a
 * batch locks (`FOR UPDATE` on PostgreSQL) before checking the limit. An account without limits
 * has SHARDS rows and a batch adds to one of them, chosen at random: concurrent batches that
 * credit one operator's revenue account mostly touch different rows and do not wait for each
 * other. Its balance is the sum over its rows.
 */
import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { Dialect, Executor } from '../store/index.ts';
import type { Account, Balance, Flow, SettlementRun, Transfer, TransferType } from './model.ts';

export const SHARDS = 8;

/** Bound parameters per statement: under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_PARAMETERS = 30_000;

export type LedgerTables = {
  ledger_accounts: {
    id: string;
    party: string;
    purpose: string;
    currency: string;
    debits_must_not_exceed_credits: number;
    credits_must_not_exceed_debits: number;
    created_at: string;
  };
  ledger_balances: {
    account_id: string;
    shard: number;
    debits_posted: number;
    credits_posted: number;
    debits_pending: number;
    credits_pending: number;
  };
  ledger_transfers: {
    id: string;
    debit_account: string;
    credit_account: string;
    amount: number;
    type: string;
    pending_id: string | null;
    timeout_seconds: number | null;
    linked: number;
    kind: string;
    reference: string | null;
    corrects: string | null;
    at: string;
    posted_at: string;
  };
  ledger_pending: {
    transfer_id: string;
    debit_account: string;
    credit_account: string;
    amount: number;
    /** ISO instant, or null: no timeout. */
    expires_at: string | null;
    state: string;
    resolved_by: string | null;
  };
  ledger_runs: {
    id: string;
    from_at: string;
    to_at: string;
    group_by: string;
    /** The filters as JSON: { kinds, purposes }. */
    filters: string;
    created_at: string;
    /** The rest of the run, as JSON. */
    body: string;
  };
};

export const migrations: Record<string, Migration> = {
  '2026-12-10-01-ledger': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledger_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('party', 'text', (c) => c.notNull().references('parties.id'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('debits_must_not_exceed_credits', 'integer', (c) => c.notNull())
        .addColumn('credits_must_not_exceed_debits', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ledger_accounts_party').on('ledger_accounts').column('party').execute();
      await db.schema
        .createTable('ledger_balances')
        .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
        .addColumn('shard', 'integer', (c) => c.notNull())
        .addColumn('debits_posted', 'bigint', (c) => c.notNull())
        .addColumn('credits_posted', 'bigint', (c) => c.notNull())
        .addColumn('debits_pending', 'bigint', (c) => c.notNull())
        .addColumn('credits_pending', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_balances_pk', ['account_id', 'shard'])
        .execute();
      await db.schema
        .createTable('ledger_transfers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('debit_account', 'text', (c) => c.notNull().references('ledger_accounts.id'))
        .addColumn('credit_account', 'text', (c) => c.notNull().references('ledger_accounts.id'))
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('pending_id', 'text')
        .addColumn('timeout_seconds', 'integer')
        .addColumn('linked', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('corrects', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('posted_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ledger_transfers_debit')
        .on('ledger_transfers')
        .columns(['debit_account', 'posted_at'])
        .execute();
      await db.schema
        .createIndex('ledger_transfers_credit')
        .on('ledger_transfers')
        .columns(['credit_account', 'posted_at'])
        .execute();
      await db.schema.createIndex('ledger_transfers_at').on('ledger_transfers').column('at').execute();
      await db.schema
        .createTable('ledger_pending')
        .addColumn('transfer_id', 'text', (c) => c.primaryKey().references('ledger_transfers.id'))
        .addColumn('debit_account', 'text', (c) => c.notNull())
        .addColumn('credit_account', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('resolved_by', 'text')
        .execute();
      await db.schema
        .createIndex('ledger_pending_open')
        .on('ledger_pending')
        .columns(['state', 'expires_at'])
        .execute();
      await db.schema
        .createTable('ledger_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('from_at', 'text', (c) => c.notNull())
        .addColumn('to_at', 'text', (c) => c.notNull())
        .addColumn('group_by', 'text', (c) => c.notNull())
        .addColumn('filters', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

export type PendingState = 'pending' | 'posted' | 'voided' | 'expired';

export interface PendingRow {
  id: string;
  debit: string;
  credit: string;
  amount: number;
  expiresAt: string | null;
  state: PendingState;
}

/** A change to one balance row. */
export interface BalanceDelta {
  account: string;
  shard: number;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

type AccountRow = LedgerTables['ledger_accounts'];
type TransferRow = LedgerTables['ledger_transfers'];

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  party: r.party,
  purpose: r.purpose,
  currency: r.currency as 'CNY',
  flags: {
    ...(r.debits_must_not_exceed_credits ? { debitsMustNotExceedCredits: true } : {}),
    ...(r.credits_must_not_exceed_debits ? { creditsMustNotExceedDebits: true } : {}),
  },
  createdAt: r.created_at,
});

export const hasLimit = (a: Account) =>
  a.flags.debitsMustNotExceedCredits === true || a.flags.creditsMustNotExceedDebits === true;

const toTransfer = (r: TransferRow): Transfer => ({
  id: r.id,
  debit: r.debit_account,
  credit: r.credit_account,
  amount: r.amount,
  type: r.type as TransferType,
  pendingId: r.pending_id,
  timeoutSeconds: r.timeout_seconds,
  linked: r.linked === 1,
  kind: r.kind,
  reference: r.reference,
  corrects: r.corrects,
  at: r.at,
  postedAt: r.posted_at,
});

const fromTransfer = (t: Transfer): TransferRow => ({
  id: t.id,
  debit_account: t.debit,
  credit_account: t.credit,
  amount: t.amount,
  type: t.type,
  pending_id: t.pendingId,
  timeout_seconds: t.timeoutSeconds,
  linked: t.linked ? 1 : 0,
  kind: t.kind,
  reference: t.reference,
  corrects: t.corrects,
  at: t.at,
  posted_at: t.postedAt,
});

/** `items` in slices of at most `size`. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const ID_CHUNK = 10_000;

export class LedgerStore {
  private readonly db: Kysely<LedgerTables>;

  constructor(
    readonly executor: Executor,
    readonly dialect: Dialect,
  ) {
    this.db = executor.withTables<LedgerTables>();
  }

  on(executor: Executor): LedgerStore {
    return new LedgerStore(executor, this.dialect);
  }

  async getAccounts(ids: readonly string[]): Promise<Map<string, Account>> {
    const out = new Map<string, Account>();
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await this.db.selectFrom('ledger_accounts').selectAll().where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, toAccount(r));
    }
    return out;
  }

  /** Which of these party ids exist. */
  async knownParties(ids: readonly string[]): Promise<Set<string>> {
    const db = this.executor.withTables<{ parties: { id: string } }>();
    const rows = await db.selectFrom('parties').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  async listAccounts(party?: string): Promise<Account[]> {
    let q = this.db.selectFrom('ledger_accounts').selectAll().orderBy('id');
    if (party !== undefined) q = q.where('party', '=', party);
    return (await q.execute()).map(toAccount);
  }

  /** Inserts the accounts not there yet, each with its balance rows; returns the ids inserted. */
  async insertAccounts(accounts: readonly Account[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const part of chunks(accounts, Math.floor(MAX_PARAMETERS / 7))) {
      const rows = await this.db
        .insertInto('ledger_accounts')
        .values(
          part.map((a) => ({
            id: a.id,
            party: a.party,
            purpose: a.purpose,
            currency: a.currency,
            debits_must_not_exceed_credits: a.flags.debitsMustNotExceedCredits ? 1 : 0,
            credits_must_not_exceed_debits: a.flags.creditsMustNotExceedDebits ? 1 : 0,
            created_at: a.createdAt,
          })),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      for (const r of rows) inserted.add(r.id);
    }
    const balances = accounts
      .filter((a) => inserted.has(a.id))
      .flatMap((a) =>
        Array.from({ length: hasLimit(a) ? 1 : SHARDS }, (_, shard) => ({
          account_id: a.id,
          shard,
          debits_posted: 0,
          credits_posted: 0,
          debits_pending: 0,
          credits_pending: 0,
        })),
      );
    for (const part of chunks(balances, Math.floor(MAX_PARAMETERS / 6))) {
      await this.db.insertInto('ledger_balances').values(part).execute();
    }
    return inserted;
  }

  /**
   * The balances of accounts with a limit (shard 0, their only row), locked until the
   * transaction ends on PostgreSQL, in id order so that two batches never wait for each other
   * in a circle. SQLite runs one writing transaction at a time, so it needs no lock.
   */
  async lockBalances(ids: readonly string[]): Promise<Map<string, Balance>> {
    const out = new Map<string, Balance>();
    for (const part of chunks([...ids].sort(), ID_CHUNK)) {
      let q = this.db
        .selectFrom('ledger_balances')
        .selectAll()
        .where('account_id', 'in', part)
        .where('shard', '=', 0)
        .orderBy('account_id');
      if (this.dialect === 'postgres') q = q.forUpdate();
      for (const r of await q.execute()) {
        out.set(r.account_id, {
          debitsPosted: r.debits_posted,
          creditsPosted: r.credits_posted,
          debitsPending: r.debits_pending,
          creditsPending: r.credits_pending,
        });
      }
    }
    return out;
  }

  /** Balances summed over shards. */
  async balances(ids: readonly string[]): Promise<Map<string, Balance>> {
    const out = new Map<string, Balance>();
    const total = (column: string) => sql<number>`cast(sum(${sql.ref(column)}) as bigint)`;
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await this.db
        .selectFrom('ledger_balances')
        .select([
          'account_id',
          total('debits_posted').as('dp'),
          total('credits_posted').as('cp'),
          total('debits_pending').as('dq'),
          total('credits_pending').as('cq'),
        ])
        .where('account_id', 'in', part)
        .groupBy('account_id')
        .execute();
      for (const r of rows) {
        out.set(r.account_id, {
          debitsPosted: r.dp,
          creditsPosted: r.cp,
          debitsPending: r.dq,
          creditsPending: r.cq,
        });
      }
    }
    return out;
  }

  /**
   * Adds each delta to its row: one statement per slice, whatever the number of rows. An upsert
   * rather than UPDATE … FROM (VALUES …): both databases then find each row by its key, where
   * SQLite would scan the table once per value row.
   */
  async addToBalances(deltas: readonly BalanceDelta[]): Promise<void> {
    // In (account, shard) order, so that concurrent batches take the row locks in one order.
    const sorted = [...deltas].sort((a, b) =>
      a.account === b.account ? a.shard - b.shard : a.account < b.account ? -1 : 1,
    );
    for (const part of chunks(sorted, Math.floor(MAX_PARAMETERS / 6))) {
      await this.db
        .insertInto('ledger_balances')
        .values(
          part.map((d) => ({
            account_id: d.account,
            shard: d.shard,
            debits_posted: d.debitsPosted,
            credits_posted: d.creditsPosted,
            debits_pending: d.debitsPending,
            credits_pending: d.creditsPending,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['account_id', 'shard']).doUpdateSet({
            debits_posted: sql`ledger_balances.debits_posted + excluded.debits_posted`,
            credits_posted: sql`ledger_balances.credits_posted + excluded.credits_posted`,
            debits_pending: sql`ledger_balances.debits_pending + excluded.debits_pending`,
            credits_pending: sql`ledger_balances.credits_pending + excluded.credits_pending`,
          }),
        )
        .execute();
    }
  }

  async getTransfers(ids: readonly string[]): Promise<Map<string, Transfer>> {
    const out = new Map<string, Transfer>();
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await this.db.selectFrom('ledger_transfers').selectAll().where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, toTransfer(r));
    }
    return out;
  }

  /** Inserts transfers whose ids are free; returns the ids it inserted (a concurrent batch may have taken some). */
  async insertTransfers(transfers: readonly Transfer[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const part of chunks(transfers, Math.floor(MAX_PARAMETERS / 13))) {
      const rows = await this.db
        .insertInto('ledger_transfers')
        .values(part.map(fromTransfer))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      for (const r of rows) inserted.add(r.id);
    }
    return inserted;
  }

  /** The transfers touching any of `accounts`, newest first. */
  async transfersOf(accounts: readonly string[], limit: number): Promise<Transfer[]> {
    if (accounts.length === 0) return [];
    const rows = await this.db
      .selectFrom('ledger_transfers')
      .selectAll()
      .where((eb) => eb.or([eb('debit_account', 'in', accounts), eb('credit_account', 'in', accounts)]))
      .orderBy('posted_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toTransfer);
  }

  /** Pending transfers by id, locked on PostgreSQL so that each is posted or voided once. */
  async lockPending(ids: readonly string[]): Promise<Map<string, PendingRow>> {
    const out = new Map<string, PendingRow>();
    for (const part of chunks([...ids].sort(), ID_CHUNK)) {
      let q = this.db
        .selectFrom('ledger_pending')
        .selectAll()
        .where('transfer_id', 'in', part)
        .orderBy('transfer_id');
      if (this.dialect === 'postgres') q = q.forUpdate();
      for (const r of await q.execute()) {
        out.set(r.transfer_id, {
          id: r.transfer_id,
          debit: r.debit_account,
          credit: r.credit_account,
          amount: r.amount,
          expiresAt: r.expires_at,
          state: r.state as PendingState,
        });
      }
    }
    return out;
  }

  /** Open pending transfers whose timeout has passed at `now`, locked on PostgreSQL. */
  async lockExpired(now: string): Promise<PendingRow[]> {
    let q = this.db
      .selectFrom('ledger_pending')
      .selectAll()
      .where('state', '=', 'pending')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', now)
      .orderBy('transfer_id');
    if (this.dialect === 'postgres') q = q.forUpdate();
    return (await q.execute()).map((r) => ({
      id: r.transfer_id,
      debit: r.debit_account,
      credit: r.credit_account,
      amount: r.amount,
      expiresAt: r.expires_at,
      state: 'pending',
    }));
  }

  async insertPending(rows: readonly PendingRow[]): Promise<void> {
    for (const part of chunks(rows, Math.floor(MAX_PARAMETERS / 7))) {
      await this.db
        .insertInto('ledger_pending')
        .values(
          part.map((p) => ({
            transfer_id: p.id,
            debit_account: p.debit,
            credit_account: p.credit,
            amount: p.amount,
            expires_at: p.expiresAt,
            state: p.state,
            resolved_by: null,
          })),
        )
        .execute();
    }
  }

  /** Marks open pending transfers resolved; a pending transfer leaves 'pending' once only. */
  async resolvePending(resolutions: readonly { id: string; state: PendingState; by: string | null }[]) {
    for (const r of resolutions) {
      await this.db
        .updateTable('ledger_pending')
        .set({ state: r.state, resolved_by: r.by })
        .where('transfer_id', '=', r.id)
        .where('state', '=', 'pending')
        .execute();
    }
  }

  /**
   * Money between parties (or jurisdictions, or any grouping of parties `group` names) per kind,
   * from the posted transfers whose business time is in [from, to) and that were recorded by
   * `recordedBy`. Pending holds and voids move no money: singles and posts count.
   */
  async flows(options: {
    from: string;
    to: string;
    recordedBy: string;
    groupBy: 'party' | 'jurisdiction';
    kinds: readonly string[] | null;
    purposes: readonly string[] | null;
  }): Promise<{ flows: Flow[]; transfers: number }> {
    // The scheme belongs to no jurisdiction: grouped by jurisdiction it stands for itself.
    const side = (alias: 'da' | 'ca', party: 'dp' | 'cp'): RawBuilder<string> =>
      options.groupBy === 'party'
        ? sql<string>`${sql.ref(`${alias}.party`)}`
        : sql<string>`coalesce(${sql.ref(`${party}.jurisdiction`)}, ${sql.ref(`${alias}.party`)})`;
    const db = this.executor.withTables<
      LedgerTables & { parties: { id: string; jurisdiction: string | null } }
    >();
    let q = db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as da', 'da.id', 't.debit_account')
      .innerJoin('ledger_accounts as ca', 'ca.id', 't.credit_account')
      .innerJoin('parties as dp', 'dp.id', 'da.party')
      .innerJoin('parties as cp', 'cp.id', 'ca.party')
      .select([
        side('da', 'dp').as('debit'),
        side('ca', 'cp').as('credit'),
        't.kind',
        (eb) => eb.fn.countAll<number>().as('count'),
        sql<number>`cast(sum(t.amount) as bigint)`.as('amount'),
      ])
      .where('t.at', '>=', options.from)
      .where('t.at', '<', options.to)
      .where('t.posted_at', '<=', options.recordedBy)
      .where('t.type', 'in', ['single', 'post'])
      .groupBy([side('da', 'dp'), side('ca', 'cp'), 't.kind']);
    if (options.kinds) q = q.where('t.kind', 'in', options.kinds);
    const purposes = options.purposes;
    if (purposes)
      q = q.where((eb) => eb.or([eb('da.purpose', 'in', purposes), eb('ca.purpose', 'in', purposes)]));
    const rows = await q.execute();
    const flows = rows
      .map((r) => ({
        debit: r.debit,
        credit: r.credit,
        kind: r.kind,
        count: Number(r.count),
        amount: Number(r.amount),
      }))
      .sort((a, b) =>
        a.debit !== b.debit
          ? a.debit < b.debit
            ? -1
            : 1
          : a.credit !== b.credit
            ? a.credit < b.credit
              ? -1
              : 1
            : a.kind < b.kind
              ? -1
              : a.kind > b.kind
                ? 1
                : 0,
      );
    return { flows, transfers: flows.reduce((n, f) => n + f.count, 0) };
  }

  async insertRun(run: SettlementRun): Promise<void> {
    const { id, from, to, groupBy, kinds, purposes, createdAt, ...body } = run;
    await this.db
      .insertInto('ledger_runs')
      .values({
        id,
        from_at: from,
        to_at: to,
        group_by: groupBy,
        filters: JSON.stringify({ kinds, purposes }),
        created_at: createdAt,
        body: JSON.stringify(body),
      })
      .execute();
  }

  async getRun(id: string): Promise<SettlementRun | undefined> {
    const r = await this.db.selectFrom('ledger_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRun(r);
  }

  /** Runs, newest first; of one period and filters when `same` is given. */
  async listRuns(
    limit: number,
    same?: Pick<SettlementRun, 'from' | 'to' | 'groupBy' | 'kinds' | 'purposes'>,
  ) {
    let q = this.db.selectFrom('ledger_runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (same) {
      q = q
        .where('from_at', '=', same.from)
        .where('to_at', '=', same.to)
        .where('group_by', '=', same.groupBy)
        .where('filters', '=', JSON.stringify({ kinds: same.kinds, purposes: same.purposes }));
    }
    return (await q.limit(limit).execute()).map(toRun);
  }
}

function toRun(r: LedgerTables['ledger_runs']): SettlementRun {
  const filters = JSON.parse(r.filters) as Pick<SettlementRun, 'kinds' | 'purposes'>;
  return {
    id: r.id,
    from: r.from_at,
    to: r.to_at,
    groupBy: r.group_by as SettlementRun['groupBy'],
    ...filters,
    createdAt: r.created_at,
    ...(JSON.parse(r.body) as Omit<
      SettlementRun,
      'id' | 'from' | 'to' | 'groupBy' | 'kinds' | 'purposes' | 'createdAt'
    >),
  };
}

import { randomBytes, randomInt } from 'node:crypto';
import { type Principal, requireParty, requireRole } from '../lib/access.ts';
import { type ProblemCode, problem } from '../lib/errors.ts';
import { localToUtc, parseDate } from '../lib/time.ts';
import { type Executor, inTransaction } from '../store/index.ts';
import {
  type Account,
  type AccountSpec,
  type AccountWithBalance,
  type Balance,
  CURRENCY,
  type GroupBy,
  type NewTransfer,
  type SettlementRun,
  type Statement,
  type Transfer,
  type TransferResult,
} from './model.ts';
import { netPositions } from './netting.ts';
import { positionsOf, statementOf } from './statement.ts';
import { type BalanceDelta, hasLimit, type LedgerStore, type PendingRow, SHARDS } from './store.ts';
import { type Checked, chainsOf, checkTransfer, normalInstant, sameTransfer } from './transfers.ts';

const ZERO: Balance = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 };

export interface SettleOptions {
  from: string;
  to: string;
  groupBy?: GroupBy;
  kinds?: string[];
  purposes?: string[];
}

/** Money moves per account within one batch, kept so that a failed chain can be taken back. */
class Work {
  readonly deltas = new Map<string, Balance>();
  private readonly undo: (() => void)[] = [];

  mark(): number {
    return this.undo.length;
  }

  rollback(mark: number): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }

  /** Runs `change` now and `revert` on a rollback. */
  record(change: () => void, revert: () => void): void {
    change();
    this.undo.push(revert);
  }

  add(account: string, field: keyof Balance, amount: number, locked: Map<string, Balance>): void {
    const delta = this.deltas.get(account) ?? { ...ZERO };
    this.deltas.set(account, delta);
    const balance = locked.get(account);
    this.record(
      () => {
        delta[field] += amount;
        if (balance) balance[field] += amount;
      },
      () => {
        delta[field] -= amount;
        if (balance) balance[field] -= amount;
      },
    );
  }
}

const isoNow = (now: Date) => now.toISOString();

export class LedgerService {
  /** `zone`: the region's time zone, in which a settlement date is a day. */
  constructor(
    private readonly store: LedgerStore,
    private readonly zone: string,
  ) {}

  on(executor: Executor): LedgerService {
    return new LedgerService(this.store.on(executor), this.zone);
  }

  /**
   * Creates the accounts that do not exist yet. An account that exists with the same content is
   * fine; with other content it is a 409 `account-exists-different`, and nothing is created.
   */
  async ensureAccounts(specs: AccountSpec[], now = new Date()): Promise<void> {
    if (specs.length === 0) return;
    const accounts: Account[] = specs.map((s) => ({
      id: s.id,
      party: s.party,
      purpose: s.purpose,
      currency: s.currency ?? CURRENCY,
      flags: {
        ...(s.flags?.debitsMustNotExceedCredits ? { debitsMustNotExceedCredits: true } : {}),
        ...(s.flags?.creditsMustNotExceedDebits ? { creditsMustNotExceedDebits: true } : {}),
      },
      createdAt: isoNow(now),
    }));
    const byId = new Map<string, Account>();
    for (const a of accounts) {
      if (!(typeof a.id === 'string' && a.id.length >= 1 && a.id.length <= 100)) {
        throw problem('invalid-input', 'id: an account id has 1 to 100 characters', 'id');
      }
      if (!(typeof a.purpose === 'string' && a.purpose.length >= 1 && a.purpose.length <= 50)) {
        throw problem('invalid-input', 'purpose: 1 to 50 characters, e.g. revenue', 'purpose');
      }
      if (a.currency !== CURRENCY) {
        throw problem('invalid-input', `currency: the ledger keeps ${CURRENCY} only`, 'currency');
      }
      const twin = byId.get(a.id);
      if (twin && !sameAccount(twin, a)) {
        throw problem('account-exists-different', `account ${a.id} is given twice, differently`, 'id');
      }
      byId.set(a.id, a);
    }
    await inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const list = [...byId.values()];
      const parties = await store.knownParties(unique(list.map((a) => a.party)));
      const stranger = list.find((a) => !parties.has(a.party));
      if (stranger) throw problem('unknown-party', `there is no party "${stranger.party}"`, 'party');
      const inserted = await store.insertAccounts(list);
      const others = list.filter((a) => !inserted.has(a.id));
      if (others.length === 0) return;
      const existing = await store.getAccounts(others.map((a) => a.id));
      for (const a of others) {
        const e = existing.get(a.id);
        if (!e || !sameAccount(e, a)) {
          throw problem(
            'account-exists-different',
            `account ${a.id} exists as ${e?.party}/${e?.purpose} with other flags or owner`,
            'id',
          );
        }
      }
    });
  }

  /** A party's accounts with their balances; every party's without one (admin). */
  async accounts(actor: Principal | null, party?: string): Promise<AccountWithBalance[]> {
    if (party === undefined) requireRole(actor, 'admin');
    else requireParty(requireRole(actor, 'admin', 'operator', 'museum', 'agency'), party, 'an account');
    const accounts = await this.store.listAccounts(party);
    const balances = await this.store.balances(accounts.map((a) => a.id));
    return accounts.map((a) => ({ ...a, balance: balances.get(a.id) ?? { ...ZERO } }));
  }

  async account(actor: Principal | null, id: string): Promise<AccountWithBalance> {
    const account = (await this.store.getAccounts([id])).get(id);
    // Asked by a party's key, someone else's account and no account look the same.
    if (!account) {
      requireRole(actor, 'admin');
      throw problem('unknown-account', `there is no account "${id}"`, 'account');
    }
    requireParty(actor, account.party, 'the account');
    const balance = (await this.store.balances([id])).get(id) ?? { ...ZERO };
    return { ...account, balance };
  }

  /** Balances summed over shards; an unknown account is left out. */
  /** The transfers of `ids` that exist, by id: for a caller that must know whether it sent one before. */
  findTransfers(ids: readonly string[]): Promise<Map<string, Transfer>> {
    return this.store.getTransfers(ids);
  }

  balances(accountIds: string[]): Promise<Map<string, Balance>> {
    return this.store.balances(accountIds);
  }

  /** The latest transfers of a party's accounts, or of one of them. */
  async transfers(
    actor: Principal | null,
    party: string,
    options: { account?: string; limit?: number } = {},
  ): Promise<Transfer[]> {
    requireParty(requireRole(actor, 'admin', 'operator', 'museum', 'agency'), party, 'an account');
    const accounts = (await this.store.listAccounts(party)).map((a) => a.id);
    if (options.account !== undefined && !accounts.includes(options.account)) {
      throw problem('unknown-account', `${party} has no account "${options.account}"`, 'account');
    }
    return this.store.transfersOf(options.account ? [options.account] : accounts, options.limit ?? 100);
  }

  /**
   * Records a batch, TigerBeetle-style: one result per transfer, in order. All of it takes part
   * in the caller's transaction (or one of its own). A transfer fails alone, or with its linked
   * chain; the others still go in. Sending a batch again changes nothing and answers `exists`.
   */
  async createTransfers(input: NewTransfer[], now = new Date()): Promise<TransferResult[]> {
    const postedAt = isoNow(now);
    const checked = input.map((t) => checkTransfer(t, postedAt));
    const results: (TransferResult | undefined)[] = new Array(input.length);
    const idOf = (i: number) => (typeof input[i]?.id === 'string' ? input[i].id : '');
    const chains = chainsOf(input);
    for (const c of chains.filter((c) => c.open)) {
      for (let i = c.start; i <= c.end; i++) {
        results[i] = {
          id: idOf(i),
          result: 'linked-chain-open',
          detail: 'the last transfer of the batch is linked to a next one that is not there',
        };
      }
    }
    const valid = checked.flatMap((c, i) =>
      'transfer' in c && results[i] === undefined ? [c.transfer] : [],
    );
    if (valid.length === 0) return finish(results, checked, idOf);

    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const accounts = await store.getAccounts(unique(valid.flatMap((t) => [t.debit, t.credit])));
      // Limited accounts first, locked: from here on, no other batch changes their balances.
      const locked = await store.lockBalances([...accounts.values()].filter(hasLimit).map((a) => a.id));
      const pendingIds = unique(valid.flatMap((t) => (t.pendingId ? [t.pendingId] : [])));
      const pending = await store.lockPending(pendingIds);
      const known = await store.getTransfers(
        unique(valid.flatMap((t) => (t.corrects ? [t.id, t.corrects] : [t.id]))),
      );

      const work = new Work();
      const created: Transfer[] = [];
      const newPending: PendingRow[] = [];
      const resolved = new Map<string, { state: 'posted' | 'voided'; by: string }>();

      const one = (c: Checked): { code: ProblemCode | 'created' | 'exists'; detail?: string } => {
        const t = c.transfer;
        const prior = known.get(t.id);
        if (prior) {
          const sent = {
            ...t,
            amount: t.amount ?? (t.pendingId ? (pending.get(t.pendingId)?.amount ?? null) : null),
          };
          return sameTransfer(prior, sent)
            ? { code: 'exists' }
            : { code: 'transfer-exists-different', detail: `transfer ${t.id} exists with other content` };
        }
        const debit = accounts.get(t.debit);
        if (!debit) return { code: 'unknown-account', detail: `debit: there is no account "${t.debit}"` };
        const credit = accounts.get(t.credit);
        if (!credit) return { code: 'unknown-account', detail: `credit: there is no account "${t.credit}"` };
        if (t.corrects && !known.has(t.corrects)) {
          return { code: 'unknown-transfer', detail: `corrects: there is no transfer "${t.corrects}"` };
        }
        let amount: number;
        if (t.type === 'single' || t.type === 'pending') {
          amount = t.amount!;
          const d = locked.get(debit.id);
          if (
            debit.flags.debitsMustNotExceedCredits &&
            d &&
            d.debitsPosted + d.debitsPending + amount > d.creditsPosted
          ) {
            return {
              code: 'exceeds-balance',
              detail: `${debit.id} has ${d.creditsPosted - d.debitsPosted - d.debitsPending} fen available, not ${amount}`,
            };
          }
          const k = locked.get(credit.id);
          if (
            credit.flags.creditsMustNotExceedDebits &&
            k &&
            k.creditsPosted + k.creditsPending + amount > k.debitsPosted
          ) {
            return {
              code: 'exceeds-balance',
              detail: `${credit.id} may take ${k.debitsPosted - k.creditsPosted - k.creditsPending} fen more credit, not ${amount}`,
            };
          }
          const posted = t.type === 'single';
          work.add(debit.id, posted ? 'debitsPosted' : 'debitsPending', amount, locked);
          work.add(credit.id, posted ? 'creditsPosted' : 'creditsPending', amount, locked);
          if (!posted) {
            const row: PendingRow = {
              id: t.id,
              debit: debit.id,
              credit: credit.id,
              amount,
              expiresAt:
                t.timeoutSeconds === null
                  ? null
                  : new Date(now.getTime() + t.timeoutSeconds * 1000).toISOString(),
              state: 'pending',
            };
            work.record(
              () => {
                pending.set(row.id, row);
                newPending.push(row);
              },
              () => {
                pending.delete(row.id);
                newPending.pop();
              },
            );
          }
        } else {
          const p = pending.get(t.pendingId!);
          if (!p)
            return {
              code: 'unknown-pending',
              detail: `pendingId: there is no pending transfer "${t.pendingId}"`,
            };
          if (p.debit !== t.debit || p.credit !== t.credit) {
            return {
              code: 'pending-mismatch',
              detail: `pending transfer ${p.id} moves ${p.debit} → ${p.credit}, not ${t.debit} → ${t.credit}`,
            };
          }
          if (
            p.state === 'expired' ||
            (p.state === 'pending' && p.expiresAt !== null && p.expiresAt <= postedAt)
          ) {
            return { code: 'pending-expired', detail: `pending transfer ${p.id} expired at ${p.expiresAt}` };
          }
          if (p.state !== 'pending') {
            return { code: 'pending-resolved', detail: `pending transfer ${p.id} is ${p.state} already` };
          }
          amount = t.amount ?? p.amount;
          if (t.type === 'post' ? amount > p.amount : amount !== p.amount) {
            return {
              code: 'pending-mismatch',
              detail: `amount ${amount}: pending transfer ${p.id} holds ${p.amount}${t.type === 'void' ? ', all of which a void releases' : ''}`,
            };
          }
          work.add(p.debit, 'debitsPending', -p.amount, locked);
          work.add(p.credit, 'creditsPending', -p.amount, locked);
          if (t.type === 'post') {
            work.add(p.debit, 'debitsPosted', amount, locked);
            work.add(p.credit, 'creditsPosted', amount, locked);
          }
          const state = t.type === 'post' ? 'posted' : 'voided';
          work.record(
            () => {
              p.state = state;
              resolved.set(p.id, { state, by: t.id });
            },
            () => {
              p.state = 'pending';
              resolved.delete(p.id);
            },
          );
        }
        const transfer: Transfer = { ...t, amount };
        work.record(
          () => {
            known.set(t.id, transfer);
            created.push(transfer);
          },
          () => {
            known.delete(t.id);
            created.pop();
          },
        );
        return { code: 'created' };
      };

      for (const chain of chains) {
        if (chain.open) continue;
        const mark = work.mark();
        const outcomes: { code: ProblemCode | 'created' | 'exists'; detail?: string }[] = [];
        let failed = -1;
        for (let i = chain.start; i <= chain.end; i++) {
          const c = checked[i];
          const outcome =
            'transfer' in c ? one(c) : { code: c.code, detail: `${c.detail} (field: ${c.field})` };
          outcomes.push(outcome);
          if (outcome.code !== 'created' && outcome.code !== 'exists') {
            failed = i;
            break;
          }
        }
        if (failed >= 0 && chain.end > chain.start) {
          work.rollback(mark);
          for (let i = chain.start; i <= chain.end; i++) {
            results[i] =
              i === failed
                ? {
                    id: idOf(i),
                    result: outcomes[i - chain.start].code,
                    detail: outcomes[i - chain.start].detail,
                  }
                : {
                    id: idOf(i),
                    result: 'linked-event-failed',
                    detail: `transfer ${idOf(failed)} of its chain failed`,
                  };
          }
        } else {
          outcomes.forEach((o, k) => {
            results[chain.start + k] = {
              id: idOf(chain.start + k),
              result: o.code,
              ...(o.detail ? { detail: o.detail } : {}),
            };
          });
        }
      }

      const inserted = await store.insertTransfers(created);
      if (inserted.size < created.length) {
        // Another transaction recorded some of these ids since we looked (it held none of our
        // locks: only unlimited accounts). The same transfer is then `exists` and its money is
        // in already; anything else would need the batch redone, which the caller can do.
        const taken = created.filter((t) => !inserted.has(t.id));
        const recorded = await store.getTransfers(taken.map((t) => t.id));
        for (const t of taken) {
          const theirs = recorded.get(t.id);
          if (
            !theirs ||
            !sameTransfer(theirs, t) ||
            t.type !== 'single' ||
            t.linked ||
            isChained(input, t.id)
          ) {
            throw problem(
              'transfer-race',
              `transfer ${t.id} was recorded by a concurrent batch while this one ran; send the batch again`,
              'id',
            );
          }
          const d = work.deltas.get(t.debit)!;
          const k = work.deltas.get(t.credit)!;
          d.debitsPosted -= t.amount;
          k.creditsPosted -= t.amount;
          const i = input.findIndex((x) => x?.id === t.id);
          results[i] = { id: t.id, result: 'exists' };
        }
      }
      await store.insertPending(newPending);
      await store.resolvePending([...resolved].map(([id, r]) => ({ id, state: r.state, by: r.by })));
      const shard = randomInt(SHARDS);
      const deltas: BalanceDelta[] = [];
      for (const [account, d] of work.deltas) {
        if (d.debitsPosted === 0 && d.creditsPosted === 0 && d.debitsPending === 0 && d.creditsPending === 0)
          continue;
        deltas.push({ account, shard: locked.has(account) ? 0 : shard, ...d });
      }
      await store.addToBalances(deltas);
      return finish(results, checked, idOf);
    });
  }

  /** `createTransfers`, throwing the first failure's problem (`exists` is no failure). */
  async createTransfersOrThrow(input: NewTransfer[], now?: Date): Promise<TransferResult[]> {
    const results = await this.createTransfers(input, now);
    const failed = results.find((r) => r.result !== 'created' && r.result !== 'exists');
    if (failed) {
      throw problem(
        failed.result as ProblemCode,
        `transfer ${failed.id}: ${failed.detail ?? failed.result}`,
        'id',
      );
    }
    return results;
  }

  /** Voids the pending transfers whose timeout has passed at `now`; returns their ids. Again: nothing more. */
  expirePending(now = new Date()): Promise<string[]> {
    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const expired = await store.lockExpired(isoNow(now));
      if (expired.length === 0) return [];
      const accounts = await store.getAccounts(unique(expired.flatMap((p) => [p.debit, p.credit])));
      const limited = new Set([...accounts.values()].filter(hasLimit).map((a) => a.id));
      await store.lockBalances([...limited]);
      const shard = randomInt(SHARDS);
      const deltas = new Map<string, BalanceDelta>();
      const delta = (account: string) => {
        let d = deltas.get(account);
        if (!d) {
          d = { account, shard: limited.has(account) ? 0 : shard, ...ZERO };
          deltas.set(account, d);
        }
        return d;
      };
      for (const p of expired) {
        delta(p.debit).debitsPending -= p.amount;
        delta(p.credit).creditsPending -= p.amount;
      }
      await store.resolvePending(expired.map((p) => ({ id: p.id, state: 'expired' as const, by: null })));
      await store.addToBalances([...deltas.values()]);
      return expired.map((p) => p.id);
    });
  }

  /** The instants [from, to) of a local calendar date in the region's zone, starting at `dayStart` (seconds). */
  periodOfDate(date: string, dayStart = 0): { from: string; to: string } {
    const day = parseDate(date);
    return {
      from: new Date(localToUtc(this.zone, day, dayStart)).toISOString(),
      to: new Date(localToUtc(this.zone, day + 1, dayStart)).toISOString(),
    };
  }

  /**
   * Settles a period: each party's (or jurisdiction's) net position over the posted transfers
   * whose business time falls in it, the payments that settle them, recorded as a new run that
   * says what changed since the last run of the same period and filters.
   */
  async settle(actor: Principal | null, options: SettleOptions, now = new Date()): Promise<SettlementRun> {
    requireRole(actor, 'admin');
    const from = normalInstant(options.from);
    if (!from)
      throw problem(
        'invalid-period',
        `from: "${options.from}" is not an ISO 8601 instant with an offset`,
        'from',
      );
    const to = normalInstant(options.to);
    if (!to)
      throw problem('invalid-period', `to: "${options.to}" is not an ISO 8601 instant with an offset`, 'to');
    if (to <= from) throw problem('invalid-period', `to (${to}) must be after from (${from})`, 'to');
    const groupBy = options.groupBy ?? 'party';
    const kinds = options.kinds?.length ? [...new Set(options.kinds)].sort() : null;
    const purposes = options.purposes?.length ? [...new Set(options.purposes)].sort() : null;
    const createdAt = isoNow(now);
    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const { flows, transfers } = await store.flows({
        from,
        to,
        recordedBy: createdAt,
        groupBy,
        kinds,
        purposes,
      });
      const positions = positionsOf(flows);
      const { payments, netting } = netPositions(positions);
      const [previous] = await store.listRuns(1, { from, to, groupBy, kinds, purposes });
      const before = new Map((previous?.positions ?? []).map((p) => [p.party, p.net]));
      const after = new Map(positions.map((p) => [p.party, p.net]));
      const changes = [...new Set([...before.keys(), ...after.keys()])]
        .sort()
        .map((party) => ({ party, before: before.get(party) ?? 0, after: after.get(party) ?? 0 }))
        .filter((c) => c.before !== c.after);
      const run: SettlementRun = {
        id: `run_${createdAt.replace(/[-:.]/g, '').slice(0, 15)}_${randomBytes(4).toString('hex')}`,
        from,
        to,
        groupBy,
        kinds,
        purposes,
        createdAt,
        transfers,
        positions,
        payments,
        netting,
        flows,
        previous: previous?.id ?? null,
        changes,
      };
      await store.insertRun(run);
      return run;
    });
  }

  async runs(actor: Principal | null, limit = 50): Promise<SettlementRun[]> {
    requireRole(actor, 'admin');
    return this.store.listRuns(limit);
  }

  /** A party's statement of a recorded run: lines per counterparty and kind, from the run's flows. */
  async statement(actor: Principal | null, runId: string, party: string): Promise<Statement> {
    requireParty(requireRole(actor, 'admin', 'operator', 'museum', 'agency'), party, 'a statement');
    const run = await this.store.getRun(runId);
    if (!run) throw problem('unknown-settlement', `there is no settlement run "${runId}"`, 'run');
    return statementOf(party, run.flows, { run: run.id, from: run.from, to: run.to });
  }

  /** A party's statement of a period as the ledger stands now, recorded nowhere. */
  async statementOfPeriod(
    actor: Principal | null,
    party: string,
    options: SettleOptions,
    now = new Date(),
  ): Promise<Statement> {
    requireParty(requireRole(actor, 'admin', 'operator', 'museum', 'agency'), party, 'a statement');
    const from = normalInstant(options.from);
    const to = normalInstant(options.to);
    if (!from || !to || to <= from) {
      throw problem(
        'invalid-period',
        'from and to: ISO 8601 instants with offsets, to after from',
        from ? 'to' : 'from',
      );
    }
    const { flows } = await this.store.flows({
      from,
      to,
      recordedBy: isoNow(now),
      groupBy: options.groupBy ?? 'party',
      kinds: options.kinds?.length ? options.kinds : null,
      purposes: options.purposes?.length ? options.purposes : null,
    });
    return statementOf(party, flows, { run: null, from, to });
  }
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

const sameAccount = (a: Account, b: Account) =>
  a.party === b.party &&
  a.purpose === b.purpose &&
  a.currency === b.currency &&
  !!a.flags.debitsMustNotExceedCredits === !!b.flags.debitsMustNotExceedCredits &&
  !!a.flags.creditsMustNotExceedDebits === !!b.flags.creditsMustNotExceedDebits;

/** Whether the transfer with this id is in a chain of more than one (it or the one before is linked). */
function isChained(input: NewTransfer[], id: string): boolean {
  const i = input.findIndex((t) => t?.id === id);
  return input[i]?.linked === true || input[i - 1]?.linked === true;
}

/** Results for every transfer, those that failed their own checks included. */
function finish(
  results: (TransferResult | undefined)[],
  checked: ReturnType<typeof checkTransfer>[],
  idOf: (i: number) => string,
): TransferResult[] {
  return results.map((r, i) => {
    if (r) return r;
    const c = checked[i];
    if ('code' in c) return { id: idOf(i), result: c.code, detail: `${c.detail} (field: ${c.field})` };
    throw new Error(`transfer ${i} has no result`);
  });
}

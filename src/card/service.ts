import type { KeyObject } from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';
import type { FareEngine, QuoteOptions } from '../fares/index.ts';
import type { LedgerService, NewTransfer } from '../ledger/index.ts';
import { LOCAL_ADMIN, type Principal, requireParty, requireRole } from '../lib/access.ts';
import { isProblem, type Problem, problem } from '../lib/errors.ts';
import { formatDate, parseDate } from '../lib/time.ts';
import type { Region } from '../region/index.ts';
import { type Executor, inTransaction } from '../store/index.ts';
import type {
  BatchResult,
  Card,
  CardDay,
  CardSettlement,
  CardStatement,
  Flow,
  HotlistDelta,
  HotlistRequest,
  NewCard,
  NewValidator,
  OperatorLeg,
  TapBatch,
  TapRejection,
  TapResult,
  TieBack,
  TopUp,
  Validator,
} from './model.ts';
import { stopCities } from './network.ts';
import { isCardNumber, maskCard, withCheckDigit } from './numbers.ts';
import { batchDigest, publicKeyObject, verifyBatch } from './signing.ts';
import type { CardRow, CardStore, ChargeRow, NewTapRow, ValidatorRow } from './store.ts';
import { buildLegs, MAX_JOURNEY_MS, type Rated, rateWeek, ServiceCalendar, type StoredTap } from './trips.ts';

/** GTFS fare_media_type of a physical transit card. */
const TRANSIT_CARD = 2;

/** How far ahead of the server's clock a validator's clock may run before its taps are refused. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export const cardAccount = (card: Pick<CardRow, 'account'>) => `card:${card.account}`;
export const revenueAccount = (operator: string) => `${operator}:revenue`;
export const topUpAccount = (issuer: string) => `${issuer}:top-ups`;

/** The transfer kinds the card posts; settlement between operators counts the fares. */
export const FARE_KINDS = ['fare', 'fare-refund'];

/** A card to issue, with the fen of its first top-up (0 for none). */
export interface NewCardWithTopUp {
  number: string;
  category: NewCard['category'];
  issuer: string;
  topUp: number;
}

export interface CardParties {
  operators: string[];
  issuers: string[];
}

export class CardService {
  private readonly keys = new Map<string, KeyObject>();
  private lastClose = 0;
  private rules?: { fares: FareEngine; calendar: ServiceCalendar; medium: string | undefined };

  /**
   * `fares`: the region's fare rules, asked for on first use, so that a region pack without
   * fares still starts; every use of the card then answers with the fares' problem.
   */
  constructor(
    private readonly store: CardStore,
    private readonly ledger: LedgerService,
    private readonly faresOf: () => FareEngine,
    readonly region: Region,
    private readonly parties: CardParties,
  ) {}

  private get loaded() {
    if (!this.rules) {
      const fares = this.faresOf();
      this.rules = {
        fares,
        calendar: new ServiceCalendar(this.region.pack.timeZone, fares.feed.dayStart),
        medium: [...fares.feed.media].find(([, m]) => m.type === TRANSIT_CARD)?.[0],
      };
    }
    return this.rules;
  }

  get fares(): FareEngine {
    return this.loaded.fares;
  }

  get calendar(): ServiceCalendar {
    return this.loaded.calendar;
  }

  /** The card's fare medium in the fare rules: their transit card (GTFS fare_media_type 2), when they have one. */
  get medium(): string | undefined {
    return this.loaded.medium;
  }

  /** A card's week priced from its taps, as of `now` (which decides whether an entry is still open). */
  private rate(card: CardRow, taps: readonly StoredTap[] = [], now: Date): Rated {
    return rateWeek(buildLegs(taps, now.getTime()), this.fares, this.calendar, this.options(card));
  }

  private options(card: Pick<CardRow, 'category'>): QuoteOptions {
    return { riderCategory: card.category, ...(this.medium ? { fareMedium: this.medium } : {}) };
  }

  private readonly priced = new Map<string, boolean>();
  /** Whether the fare rules price a leg from the stop at all: a tap they cannot price is refused, not left to fail its card's week. */
  private priceable(operator: string, stop: string): boolean {
    const key = `${operator}|${stop}`;
    let ok = this.priced.get(key);
    if (ok === undefined) {
      try {
        this.fares.maxFare(operator, stop, { fareMedium: this.medium }, '2026-01-01T12:00:00Z');
        ok = true;
      } catch (error) {
        if (!isProblem(error)) throw error;
        ok = false;
      }
      this.priced.set(key, ok);
    }
    return ok;
  }

  private cities?: Map<string, string>;
  private get stopCities(): Map<string, string> {
    this.cities ??= stopCities(this.fares, this.region);
    return this.cities;
  }

  on(tx: Executor): CardService {
    const service = new CardService(
      this.store.on(tx),
      this.ledger.on(tx),
      this.faresOf,
      this.region,
      this.parties,
    );
    service.rules = this.rules;
    return service;
  }

  /** The operators' revenue and the issuers' top-up accounts, kept in step with the pack. */
  seed(): Promise<void> {
    return this.ledger.ensureAccounts([
      ...this.parties.operators.map((p) => ({ id: revenueAccount(p), party: p, purpose: 'revenue' })),
      ...this.parties.issuers.map((p) => ({ id: topUpAccount(p), party: p, purpose: 'top-ups' })),
    ]);
  }

  // ── Cards ──────────────────────────────────────────────────────────────

  async issue(
    actor: Principal | null,
    input: NewCard,
    now = new Date(),
  ): Promise<{ card: Card; created: boolean }> {
    requireRole(actor, 'admin');
    const number =
      input.number ??
      withCheckDigit(`31${randomBytes(8).readBigUInt64BE().toString().padStart(20, '0').slice(-13)}`);
    const wanted = { number, category: input.category, issuer: input.issuer, topUp: 0 };
    this.checkNewCard(wanted);
    return inTransaction(this.store.executor, async (tx) => {
      const { row, created } = (await this.on(tx).createCards([wanted], now)).get(number)!;
      return { card: await this.view(tx, row), created };
    });
  }

  /**
   * Issues many cards with their first top-up, a thousand to a transaction: what a card
   * production run (or the simulator's folder) brings. Sending the same list again changes nothing.
   */
  async issueMany(
    actor: Principal | null,
    list: readonly NewCardWithTopUp[],
    now = new Date(),
  ): Promise<number> {
    requireRole(actor, 'admin');
    for (const c of list) this.checkNewCard(c);
    let created = 0;
    for (let i = 0; i < list.length; i += 1000) {
      const part = list.slice(i, i + 1000);
      const cards = await inTransaction(this.store.executor, (tx) => this.on(tx).createCards(part, now));
      for (const c of cards.values()) if (c.created) created += 1;
    }
    return created;
  }

  private checkNewCard(c: NewCardWithTopUp): void {
    if (!isCardNumber(c.number)) {
      throw problem('invalid-card-number', `"${c.number}" fails its Luhn check digit`, 'number');
    }
    if (!this.parties.issuers.includes(c.issuer)) {
      throw problem(
        'unknown-party',
        `there is no issuer "${c.issuer}"; cards are issued by ${this.parties.issuers.join(', ')}`,
        'issuer',
      );
    }
  }

  /**
   * Creates the cards not there yet, with their accounts and first top-ups, inside the caller's
   * transaction. A card already there with the same details is left as it is; with other
   * details it is a 409. Its first top-up is credited once, however often the list is sent.
   */
  private async createCards(
    list: readonly NewCardWithTopUp[],
    now: Date,
  ): Promise<Map<string, { row: CardRow; created: boolean }>> {
    const out = new Map<string, { row: CardRow; created: boolean }>();
    const keep = (row: CardRow, wanted: NewCardWithTopUp, created: boolean) => {
      if (!created && (row.category !== wanted.category || row.issuer !== wanted.issuer)) {
        throw problem(
          'card-exists-different',
          `card ${wanted.number} exists with another category or issuer`,
          'number',
        );
      }
      out.set(wanted.number, { row, created });
    };
    const existing = await this.store.cards(list.map((c) => c.number));
    const fresh: CardRow[] = [];
    for (const c of list) {
      const known = existing.get(c.number);
      if (known) keep(known, c, false);
      else
        fresh.push({
          number: c.number,
          account: randomBytes(9).toString('base64url'),
          status: 'active',
          category: c.category,
          issuer: c.issuer,
          issuedAt: now.toISOString(),
          hotlistedAt: null,
          hotlistedMs: null,
          hotlistReason: null,
          replacedBy: null,
        });
    }
    const inserted = await this.store.insertCards(fresh);
    const freshByNumber = new Map(fresh.map((r) => [r.number, r]));
    // A card another transaction created meanwhile is theirs: read it back and compare.
    const raced = await this.store.cards(fresh.filter((r) => !inserted.has(r.number)).map((r) => r.number));
    for (const c of list) {
      const row = inserted.has(c.number) ? freshByNumber.get(c.number) : undefined;
      if (row) keep(row, c, true);
      else if (raced.has(c.number)) keep(raced.get(c.number)!, c, false);
    }
    const created = [...out.values()].filter((c) => c.created).map((c) => c.row);
    await this.ledger.ensureAccounts(
      created.map((r) => ({ id: cardAccount(r), party: r.issuer, purpose: 'stored-value' })),
    );
    const topUpId = (c: NewCardWithTopUp) => `top-up:${out.get(c.number)!.row.account}:initial`;
    const sent = await this.ledger.findTransfers(list.map(topUpId));
    await this.ledger.createTransfersOrThrow(
      list
        .filter((c) => c.topUp > 0 && !sent.has(topUpId(c)))
        .map((c) => ({
          id: topUpId(c),
          debit: topUpAccount(c.issuer),
          credit: cardAccount(out.get(c.number)!.row),
          amount: c.topUp,
          at: now.toISOString(),
          kind: 'top-up',
          reference: 'initial',
        })),
      now,
    );
    return out;
  }

  async card(actor: Principal | null, number: string): Promise<Card> {
    requireRole(actor, 'admin');
    return this.view(this.store.executor, await this.known(number));
  }

  async listCards(actor: Principal | null, limit = 100, after?: string): Promise<Card[]> {
    requireRole(actor, 'admin');
    const rows = await this.store.listCards(limit, after);
    const balances = await this.ledger.balances(rows.map(cardAccount));
    return rows.map((r) => this.toCard(r, balances.get(cardAccount(r))));
  }

  async topUp(actor: Principal | null, number: string, input: TopUp, now = new Date()): Promise<Card> {
    requireRole(actor, 'admin');
    return inTransaction(this.store.executor, async (tx) => {
      const card = await this.store.on(tx).card(number);
      if (!card) throw problem('unknown-card', 'there is no such card', 'number');
      if (card.status !== 'active')
        throw problem('card-not-active', `the card is ${card.status}; top up its replacement`, 'number');
      // The sender's id is unique per card: the ledger's id is scoped by the card's account, not its number.
      const id = `top-up:${card.account}:${input.id}`;
      const ledger = this.ledger.on(tx);
      const sent = (await ledger.findTransfers([id])).get(id);
      if (sent) {
        // Sent before: the same top-up is credited once; another under the same id is refused.
        if (sent.amount !== input.amount) {
          throw problem(
            'transfer-exists-different',
            `top-up ${input.id} was sent before with another amount`,
            'id',
          );
        }
        return this.view(tx, card);
      }
      await ledger.createTransfersOrThrow(
        [
          {
            id,
            debit: topUpAccount(card.issuer),
            credit: cardAccount(card),
            amount: input.amount,
            at: now.toISOString(),
            kind: 'top-up',
            reference: input.id,
          },
        ],
        now,
      );
      return this.view(tx, card);
    });
  }

  /** Reports a card lost: taps after `at` are refused, validators learn it from the hotlist. */
  async hotlist(
    actor: Principal | null,
    number: string,
    input: HotlistRequest,
    now = new Date(),
  ): Promise<Card> {
    requireRole(actor, 'admin');
    const at = input.at ? new Date(input.at) : now;
    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const card = await this.known(number, store);
      if (card.status === 'active')
        await store.hotlist(number, at.toISOString(), at.getTime(), input.reason, 'hotlisted', null);
      return this.view(tx, (await store.card(number))!);
    });
  }

  /**
   * A new card for a hotlisted (or still active) one: the old is hotlisted now if it was not,
   * and its stored value moves to the new card in one transfer.
   */
  async replace(actor: Principal | null, number: string, now = new Date()): Promise<Card> {
    requireRole(actor, 'admin');
    const old = await this.known(number);
    if (old.status === 'replaced') return this.card(actor, old.replacedBy!);
    const { card: fresh } = await this.issue(actor, { category: old.category, issuer: old.issuer }, now);
    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const current = (await store.card(number))!;
      const at = current.hotlistedAt ?? now.toISOString();
      await store.hotlist(
        number,
        at,
        current.hotlistedMs ?? now.getTime(),
        current.hotlistReason ?? 'replaced',
        'replaced',
        fresh.number,
      );
      const ledger = this.ledger.on(tx);
      const freshRow = (await store.card(fresh.number))!;
      const balance = (await ledger.balances([cardAccount(current)])).get(cardAccount(current));
      const value = balance ? balance.creditsPosted - balance.debitsPosted : 0;
      if (value > 0) {
        await ledger.createTransfersOrThrow(
          [
            {
              id: `replace:${current.account}`,
              debit: cardAccount(current),
              credit: cardAccount(freshRow),
              amount: value,
              at: now.toISOString(),
              kind: 'replacement',
              reference: freshRow.account,
            },
          ],
          now,
        );
      }
      return this.view(tx, freshRow);
    });
  }

  /** The hotlist entries after `since`: what a validator adds to its deny list. */
  async hotlistDelta(actor: Principal | null, since: number, limit = 10_000): Promise<HotlistDelta> {
    requireRole(actor, 'operator', 'admin');
    const { rows, latest } = await this.store.hotlistSince(since, limit);
    return { version: rows.length === limit ? rows[rows.length - 1].version : latest, entries: rows };
  }

  // ── Validators ─────────────────────────────────────────────────────────

  async registerValidator(
    actor: Principal | null,
    input: NewValidator,
    now = new Date(),
  ): Promise<Validator> {
    requireParty(requireRole(actor, 'operator', 'admin'), input.party, 'the validator');
    if (!this.parties.operators.includes(input.party)) {
      throw problem('unknown-party', `"${input.party}" is not an operator of the region`, 'party');
    }
    try {
      publicKeyObject(input.publicKey);
    } catch {
      throw problem('invalid-input', 'publicKey: not an Ed25519 public key', 'publicKey');
    }
    const row: ValidatorRow = {
      id: input.id,
      party: input.party,
      publicKey: input.publicKey,
      registeredAt: now.toISOString(),
      lastSeq: 0,
      batches: 0,
    };
    if (!(await this.store.insertValidator(row))) {
      const stored = (await this.store.validator(input.id))!;
      if (stored.party !== input.party || stored.publicKey !== input.publicKey) {
        throw problem(
          'validator-exists-different',
          `validator ${input.id} is registered with another operator or key`,
          'id',
        );
      }
      return this.toValidator(stored);
    }
    return this.toValidator(row);
  }

  async listValidators(actor: Principal | null): Promise<Validator[]> {
    const who = requireRole(actor, 'operator', 'admin');
    const rows = await this.store.listValidators(who.role === 'admin' ? undefined : who.party);
    return Promise.all(rows.map((r) => this.toValidator(r)));
  }

  private async toValidator(r: ValidatorRow): Promise<Validator> {
    return {
      id: r.id,
      party: r.party,
      publicKey: r.publicKey,
      registeredAt: r.registeredAt,
      lastBatch: r.lastSeq,
      missingBatches: await this.store.missingBatches(r),
    };
  }

  // ── Taps ───────────────────────────────────────────────────────────────

  /**
   * Takes a validator's signed batch. A forged batch, or one from another operator's device,
   * changes nothing; a batch received before gets its first answer again. Each tap is accepted
   * once; each refused tap gets its reason. The accepted taps re-rate their cards' weeks, and
   * what the re-rating changes posts to the ledger in the same transaction.
   */
  async ingest(actor: Principal | null, batch: TapBatch, now = new Date()): Promise<BatchResult> {
    const [result] = await this.ingestMany(actor, [batch], now);
    if (isProblem(result)) throw result;
    // A server has no other clock: journeys left open past their time are closed as batches come.
    if (now.getTime() - this.lastClose > 60_000) {
      this.lastClose = now.getTime();
      await this.closeOpenJourneys(now);
    }
    return result;
  }

  /**
   * Takes many batches in one transaction, as `ingest` takes one, with each card's week
   * re-rated once for all of them: how a backlog of offline batches is replayed quickly. A
   * batch whose number was used for other taps is answered with its problem; the others go on.
   */
  async ingestMany(
    actor: Principal | null,
    batches: readonly TapBatch[],
    now = new Date(),
  ): Promise<(BatchResult | Problem)[]> {
    const who = requireRole(actor, 'operator', 'admin');
    const results: (BatchResult | Problem | null)[] = [];
    const checked: { index: number; batch: TapBatch; device: ValidatorRow; digest: string }[] = [];
    for (const [index, batch] of batches.entries()) {
      const device = await this.store.validator(batch.device);
      const refuse = (reason: TapRejection): BatchResult => ({
        device: batch.device,
        seq: batch.seq,
        status: 'rejected',
        accepted: 0,
        rejected: batch.taps.length,
        taps: batch.taps.map((t) => ({ id: t.id, result: reason })),
        missingBatches: [],
      });
      if (!device) results.push(refuse('unknown-device'));
      else if (who.role !== 'admin' && device.party !== who.party)
        results.push(refuse('device-of-another-operator'));
      else if (!verifyBatch(batch, this.keyOf(device))) results.push(refuse('bad-signature'));
      else {
        results.push(null);
        checked.push({ index, batch, device, digest: batchDigest(batch) });
      }
    }
    if (checked.length === 0) return results as BatchResult[];

    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const devices = new Map<string, ValidatorRow>();
      const allCards = new Map<string, CardRow>();
      const weeks = new Map<string, { card: string; week: number }>();
      // Every card of every batch locked at once, in number order (no two transactions deadlock),
      // before they and their taps are read: a tap belongs to one card, so another transaction
      // taking the same tap (sent in two batches) has finished when this one looks, and the
      // re-rating below sees every tap of the card.
      await store.lockCards([...new Set(checked.flatMap(({ batch }) => batch.taps.map((t) => t.card)))]);
      for (const { index, batch, digest, device: registered } of checked) {
        const device = devices.get(registered.id) ?? registered;
        if (!(await store.claimBatch(device.id, batch.seq, digest, now.toISOString()))) {
          const before = (await store.batch(device.id, batch.seq))!;
          if (before.digest !== digest) {
            results[index] = problem(
              'batch-exists-different',
              `batch ${batch.seq} of ${device.id} was received before with other taps`,
              'seq',
            );
            continue;
          }
          const taps = batch.taps.map((t, i) => ({ id: t.id, result: before.results[i] ?? 'accepted' }));
          const accepted = taps.filter((t) => t.result === 'accepted').length;
          results[index] = {
            device: device.id,
            seq: batch.seq,
            status: 'exists',
            accepted,
            rejected: taps.filter((t) => t.result !== 'accepted' && t.result !== 'exists').length,
            taps,
            missingBatches: [],
          };
          continue;
        }
        const cards = await store.cards(batch.taps.map((t) => t.card));
        for (const [n, c] of cards) allCards.set(n, c);
        const stored = await store.tapDigests(batch.taps.map((t) => t.id));
        const taps: TapResult[] = [];
        const fresh: NewTapRow[] = [];
        const seenInBatch = new Map<string, string>();
        for (const tap of batch.taps) {
          const tapDigest = digestOf(tap, device.id);
          const earlier = stored.get(tap.id) ?? seenInBatch.get(tap.id);
          const atMs = Date.parse(tap.at);
          const card = cards.get(tap.card);
          let result: TapResult['result'];
          if (earlier !== undefined) result = earlier === tapDigest ? 'exists' : 'tap-exists-different';
          else if (!card) result = 'unknown-card';
          else if (atMs > now.getTime() + CLOCK_SKEW_MS) result = 'time-in-future';
          else if (card.hotlistedMs !== null && atMs >= card.hotlistedMs) result = 'hotlisted-card';
          else if (!this.fares.hasStop(device.party, tap.stop)) result = 'unknown-stop';
          else if (!this.priceable(device.party, tap.stop)) result = 'no-fare';
          else {
            result = 'accepted';
            seenInBatch.set(tap.id, tapDigest);
            const week = this.calendar.week(atMs);
            fresh.push({
              id: tap.id,
              card: tap.card,
              device: device.id,
              operator: device.party,
              kind: tap.kind,
              stop: tap.stop,
              route: tap.route ?? null,
              atMs,
              week,
              digest: tapDigest,
            });
            weeks.set(`${tap.card}|${week}`, { card: tap.card, week });
          }
          taps.push({ id: tap.id, result });
        }
        await store.insertTaps(fresh);
        devices.set(device.id, await store.finishBatch(device, batch.seq, taps));
        results[index] = {
          device: device.id,
          seq: batch.seq,
          status: 'accepted',
          accepted: fresh.length,
          rejected: taps.filter((t) => t.result !== 'accepted' && t.result !== 'exists').length,
          taps,
          missingBatches: [],
        };
      }
      await this.on(tx).rerate(allCards, [...weeks.values()], now);
      const missing = new Map<string, number[]>();
      for (const { index, device } of checked) {
        const result = results[index];
        if (!result || isProblem(result)) continue;
        if (!missing.has(device.id)) {
          missing.set(
            device.id,
            await store.missingBatches(devices.get(device.id) ?? (await store.validator(device.id))!),
          );
        }
        result.missingBatches = missing.get(device.id)!;
      }
      return results as (BatchResult | Problem)[];
    });
  }

  private keyOf(device: ValidatorRow): KeyObject {
    let key = this.keys.get(device.id);
    if (!key) {
      key = publicKeyObject(device.publicKey);
      this.keys.set(device.id, key);
    }
    return key;
  }

  /**
   * Re-rates the given card weeks from all their taps and posts the difference from what was
   * posted before, per service day and operator: a late or corrected tap costs the rider the
   * best fare of the whole week, and no more than the change. Holds follow open entries.
   * Must run inside the transaction that stored the taps, with the cards' rows locked.
   */
  private async rerate(
    cards: Map<string, CardRow>,
    pairs: { card: string; week: number }[],
    now: Date,
  ): Promise<void> {
    if (pairs.length === 0) return;
    const numbers = [...new Set(pairs.map((p) => p.card))];
    const taps = await this.store.tapsOfWeeks(pairs);
    const weeks = pairs.map((p) => p.week);
    const minDay = Math.min(...weeks);
    const maxDay = Math.max(...weeks) + 6;
    const charges = new Map<string, ChargeRow>();
    const chargedKeys = new Map<string, string[]>();
    for (const c of await this.store.charges(numbers, minDay, maxDay)) {
      charges.set(`${c.card}|${c.day}|${c.operator}`, c);
      const keys = chargedKeys.get(c.card) ?? [];
      keys.push(`${c.day}|${c.operator}`);
      chargedKeys.set(c.card, keys);
    }
    const holds = await this.store.holds(numbers);
    const transfers: NewTransfer[] = [];
    const changed: ChargeRow[] = [];
    const newHolds: { tap: string; card: string }[] = [];
    const released: string[] = [];
    const at = now.toISOString();

    for (const { card: number, week } of pairs) {
      const card = cards.get(number)!;
      const rated = this.rate(card, taps.get(`${number}|${week}`), now);
      const lastLeg = lastLegTimes(rated, this.calendar);
      const keys = new Set(rated.owed.keys());
      for (const key of chargedKeys.get(number) ?? []) {
        const day = Number(splitKey(key)[0]);
        if (day >= week && day < week + 7) keys.add(key);
      }
      for (const key of keys) {
        const [dayText, operator] = splitKey(key);
        const day = Number(dayText);
        const owed = rated.owed.get(key) ?? 0;
        const before = charges.get(`${number}|${key}`) ?? {
          card: number,
          day,
          operator,
          amount: 0,
          postings: 0,
        };
        const delta = owed - before.amount;
        if (delta === 0) continue;
        const id = (n: number) => `fare:${card.account}:${formatDate(day)}:${operator}:${n}`;
        transfers.push({
          id: id(before.postings + 1),
          ...(delta > 0
            ? { debit: cardAccount(card), credit: revenueAccount(operator), amount: delta, kind: 'fare' }
            : {
                debit: revenueAccount(operator),
                credit: cardAccount(card),
                amount: -delta,
                kind: 'fare-refund',
              }),
          at: new Date(lastLeg.get(key) ?? this.calendar.startMs(day)).toISOString(),
          reference: `${formatDate(day)} ${operator}`,
          corrects: before.postings > 0 ? id(before.postings) : null,
        });
        changed.push({ card: number, day, operator, amount: owed, postings: before.postings + 1 });
      }
      for (const leg of rated.legs) {
        if (!leg.entryTap) continue;
        const held = holds.get(leg.entryTap);
        if (leg.status === 'open' && held === undefined) {
          newHolds.push({ tap: leg.entryTap, card: number });
          transfers.push({
            id: `hold:${leg.entryTap}`,
            debit: cardAccount(card),
            credit: revenueAccount(leg.operator),
            amount: Math.max(1, this.fares.maxFare(leg.operator, leg.from, this.options(card))),
            at: new Date(leg.startMs).toISOString(),
            kind: 'fare-hold',
            reference: leg.entryTap,
            pending: {
              timeoutSeconds: Math.ceil((leg.startMs + MAX_JOURNEY_MS - now.getTime()) / 1000) + 60,
            },
          });
        } else if (leg.status !== 'open' && held === false) {
          released.push(leg.entryTap);
          transfers.push({
            id: `release:${leg.entryTap}`,
            debit: cardAccount(card),
            credit: revenueAccount(leg.operator),
            at,
            kind: 'fare-hold',
            reference: leg.entryTap,
            voidPending: { pendingId: `hold:${leg.entryTap}` },
          });
        }
      }
    }
    await this.ledger.createTransfersOrThrow(transfers, now);
    await this.store.upsertCharges(changed);
    await this.store.addHolds(newHolds);
    await this.store.releaseHolds(released);
  }

  /** Entries whose time ran out without an exit: their cards are re-rated, charged the maximum fare, and their holds released. */
  async closeOpenJourneys(now = new Date()): Promise<number> {
    const numbers = await this.store.cardsWithOpenHolds();
    if (numbers.length === 0) return 0;
    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      await store.lockCards(numbers);
      const cards = await store.cards(numbers);
      const week = this.calendar.week(now.getTime());
      const pairs = numbers.flatMap((card) => [week - 7, week].map((w) => ({ card, week: w })));
      await this.on(tx).rerate(cards, pairs, now);
      return numbers.length;
    });
  }

  // ── Settlement ─────────────────────────────────────────────────────────

  /** The instants a service date spans: from its day start to the next. */
  period(date: string): { from: string; to: string } {
    return this.ledger.periodOfDate(date, this.calendar.dayStartSeconds);
  }

  /**
   * Settles a service date's fares between the parties (issuers and operators) or their
   * jurisdictions, as a recorded ledger run, with each operator's tie-back to the taps.
   */
  async settle(
    actor: Principal | null,
    date: string,
    groupBy: 'party' | 'jurisdiction',
    now = new Date(),
  ): Promise<CardSettlement> {
    requireRole(actor, 'admin');
    const run = await this.ledger.settle(actor, { ...this.period(date), groupBy, kinds: FARE_KINDS }, now);
    return { date, run, tieBack: await this.tieBack(date, now) };
  }

  /** A party's statement of a service date's fares, as the ledger stands now. */
  async statement(
    actor: Principal | null,
    date: string,
    party: string,
    now = new Date(),
  ): Promise<CardStatement> {
    requireParty(requireRole(actor, 'operator', 'agency', 'admin'), party, 'a statement');
    const statement = await this.ledger.statementOfPeriod(
      actor,
      party,
      { ...this.period(date), kinds: FARE_KINDS },
      now,
    );
    const tieBack = this.parties.operators.includes(party) ? await this.tieBack(date, now, party) : [];
    return { date, kinds: FARE_KINDS, statement, tieBack };
  }

  /**
   * Per operator, a service date's fares worked out again from the taps (every card that tapped
   * that day, its whole week re-rated) beside what the ledger holds for the date: the two agree,
   * or the difference is shown.
   */
  async tieBack(date: string, now = new Date(), only?: string): Promise<TieBack[]> {
    const day = parseDate(date);
    const from = this.calendar.startMs(day);
    const week = this.calendar.week(from);
    const numbers = await this.store.cardsTappingBetween(from, this.calendar.startMs(day + 1));
    const cards = await this.store.cards(numbers);
    const out = new Map<string, TieBack>();
    const line = (operator: string) => {
      const known = out.get(operator);
      if (known) return known;
      const fresh = { operator, legs: 0, fromTaps: 0, ledger: 0, agrees: true };
      out.set(operator, fresh);
      return fresh;
    };
    for (let i = 0; i < numbers.length; i += 2000) {
      const part = numbers.slice(i, i + 2000);
      const taps = await this.store.tapsOfWeeks(part.map((card) => ({ card, week })));
      for (const number of part) {
        const card = cards.get(number)!;
        const rated = this.rate(card, taps.get(`${number}|${week}`), now);
        rated.legs.forEach((leg, k) => {
          if (leg.status === 'open' || this.calendar.day(leg.startMs) !== day) return;
          if (only && leg.operator !== only) return;
          const l = line(leg.operator);
          l.legs += 1;
          l.fromTaps += rated.fares[k].fare;
        });
      }
    }
    const statements = await Promise.all(
      this.parties.operators
        .filter((op) => !only || op === only)
        .map((op) =>
          this.ledger.statementOfPeriod(LOCAL_ADMIN, op, { ...this.period(date), kinds: FARE_KINDS }, now),
        ),
    );
    for (const s of statements) {
      if (s.totals.creditCount + s.totals.debitCount === 0 && !out.has(s.party)) continue;
      line(s.party).ledger = s.totals.net;
    }
    for (const l of out.values()) l.agrees = l.fromTaps === l.ledger;
    return [...out.values()].sort((a, b) => (a.operator < b.operator ? -1 : 1));
  }

  // ── Views ──────────────────────────────────────────────────────────────

  /** A card's service days from `from` to `to` (dates), each with its legs and what they cost. */
  async days(
    actor: Principal | null,
    number: string,
    from: string,
    to: string,
    now = new Date(),
  ): Promise<CardDay[]> {
    requireRole(actor, 'admin');
    const card = await this.known(number);
    const first = parseDate(from, 'from');
    const last = parseDate(to, 'to');
    if (last < first) throw problem('invalid-input', 'to: comes before from', 'to');
    if (last - first > 62) throw problem('invalid-input', 'to: at most 62 days after from', 'to');
    const startWeek = this.calendar.week(this.calendar.startMs(first));
    const pairs: { card: string; week: number }[] = [];
    for (let w = startWeek; w <= last; w += 7) pairs.push({ card: number, week: w });
    const taps = await this.store.tapsOfWeeks(pairs);
    const out = new Map<number, CardDay>();
    for (const { week } of pairs) {
      const rated = this.rate(card, taps.get(`${number}|${week}`), now);
      rated.legs.forEach((leg, i) => {
        const day = this.calendar.day(leg.startMs);
        if (day < first || day > last) return;
        const entry = out.get(day) ?? { serviceDate: formatDate(day), legs: [], total: 0 };
        const f = rated.fares[i];
        entry.legs.push({
          operator: leg.operator,
          from: leg.from,
          to: leg.to,
          fromName: this.fares.feed.stops.get(leg.from)?.name ?? null,
          toName: leg.to === null ? null : (this.fares.feed.stops.get(leg.to)?.name ?? null),
          route: leg.route,
          start: new Date(leg.startMs).toISOString(),
          end: leg.endMs === null ? null : new Date(leg.endMs).toISOString(),
          status: leg.status,
          single: f.single,
          fare: f.fare,
          rules: f.rules,
        });
        entry.total += f.fare;
        out.set(day, entry);
      });
    }
    return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  }

  /**
   * An operator's legs on a service date, from its own validators' taps, each with what it cost
   * after the card's transfers and caps. Card numbers show only their last four digits.
   */
  async operatorTrips(
    actor: Principal | null,
    operator: string,
    date: string,
    limit = 1000,
    now = new Date(),
  ) {
    requireParty(requireRole(actor, 'operator', 'admin'), operator, 'these trips');
    if (!this.parties.operators.includes(operator))
      throw problem('unknown-party', `"${operator}" is not an operator of the region`, 'party');
    const day = parseDate(date);
    const from = this.calendar.startMs(day);
    const week = this.calendar.week(from);
    const numbers = (
      await this.store.cardsOfOperatorBetween(operator, from, this.calendar.startMs(day + 1))
    ).slice(0, limit);
    const cards = await this.store.cards(numbers);
    const taps = await this.store.tapsOfWeeks(numbers.map((card) => ({ card, week })));
    const legs: OperatorLeg[] = [];
    for (const number of numbers) {
      const card = cards.get(number)!;
      const rated = this.rate(card, taps.get(`${number}|${week}`), now);
      rated.legs.forEach((leg, i) => {
        if (leg.operator !== operator || this.calendar.day(leg.startMs) !== day || legs.length >= limit)
          return;
        legs.push({
          card: maskCard(number),
          category: card.category,
          from: leg.from,
          to: leg.to,
          start: new Date(leg.startMs).toISOString(),
          end: leg.endMs === null ? null : new Date(leg.endMs).toISOString(),
          status: leg.status,
          fare: rated.fares[i].fare,
        });
      });
    }
    return legs.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /**
   * Trips between cities on a service day, from the cards' legs: a leg's city is its stop's,
   * per the fare feeds. Counts under `minimum` riders are left out, so that no one's travel is
   * told by a flow of one.
   */
  async flows(date: string, minimum = 3): Promise<Flow[]> {
    const day = parseDate(date);
    const from = this.calendar.startMs(day);
    const rows = await this.store.tapsBetween(from, this.calendar.startMs(day + 1));
    const byCard = new Map<string, StoredTap[]>();
    for (const r of rows) {
      const list = byCard.get(r.card) ?? [];
      list.push(r.tap);
      byCard.set(r.card, list);
    }
    const cells = new Map<string, { trips: number; riders: Set<string> }>();
    for (const [card, taps] of byCard) {
      for (const leg of buildLegs(taps, Number.MAX_SAFE_INTEGER)) {
        if (leg.to === null) continue;
        const a = this.stopCities.get(leg.from);
        const b = this.stopCities.get(leg.to);
        if (!a || !b || a === b) continue;
        const key = `${a}|${b}`;
        const cell = cells.get(key) ?? { trips: 0, riders: new Set<string>() };
        cell.trips += 1;
        cell.riders.add(card);
        cells.set(key, cell);
      }
    }
    return [...cells.entries()]
      .filter(([, c]) => c.riders.size >= minimum)
      .map(([key, c]) => {
        const [a, b] = splitKey(key);
        return { from: a, to: b, trips: c.trips, riders: c.riders.size };
      })
      .sort((x, y) => y.trips - x.trips);
  }

  private async known(number: string, store = this.store): Promise<CardRow> {
    const card = await store.card(number);
    if (!card) throw problem('unknown-card', 'there is no such card', 'number');
    return card;
  }

  private async view(executor: Executor, row: CardRow): Promise<Card> {
    const balances = await this.ledger.on(executor).balances([cardAccount(row)]);
    return this.toCard(row, balances.get(cardAccount(row)));
  }

  private toCard(
    r: CardRow,
    b: { debitsPosted: number; creditsPosted: number; debitsPending: number } | undefined,
  ): Card {
    return {
      number: r.number,
      status: r.status,
      category: r.category,
      issuer: r.issuer,
      issuedAt: r.issuedAt,
      hotlistedAt: r.hotlistedAt,
      replacedBy: r.replacedBy,
      balance: b ? b.creditsPosted - b.debitsPosted : 0,
      held: b ? b.debitsPending : 0,
    };
  }
}

/** A tap's fingerprint: the same tap sent again has it; another tap under the same id does not. */
const digestOf = (tap: TapBatch['taps'][number], device: string): string =>
  createHash('sha256')
    .update(`${tap.card}|${tap.kind}|${tap.stop}|${tap.route ?? ''}|${tap.at}|${device}`)
    .digest('base64url')
    .slice(0, 22);

const splitKey = (key: string): [string, string] => {
  const bar = key.indexOf('|');
  return [key.slice(0, bar), key.slice(bar + 1)];
};

/** Per `${day}|${operator}`, the start of its last charged leg: the business time its fares post at. */
function lastLegTimes(rated: Rated, calendar: ServiceCalendar): Map<string, number> {
  const out = new Map<string, number>();
  for (const leg of rated.legs) {
    if (leg.status === 'open') continue;
    const key = `${calendar.day(leg.startMs)}|${leg.operator}`;
    out.set(key, Math.max(out.get(key) ?? 0, leg.startMs));
  }
  return out;
}

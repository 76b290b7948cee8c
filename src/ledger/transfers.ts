/**
 * Checking a transfer as sent, on its own: everything that needs no database. What is left
 * (accounts, limits, pending transfers, ids taken) the service checks in its transaction.
 */
import type { ProblemCode } from '../lib/errors.ts';
import type { NewTransfer, Transfer, TransferType } from './model.ts';

export interface Failure {
  code: ProblemCode;
  detail: string;
  field: string;
}

/** A transfer that passed the checks; `amount` is null for a post or void that leaves it to the pending transfer. */
export interface Checked {
  transfer: Omit<Transfer, 'amount'> & { amount: number | null };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A pending transfer's timeout is at most a year: a hold must not outlive what it holds for. */
export const MAX_TIMEOUT_SECONDS = 366 * 86_400;

const fail = (code: ProblemCode, field: string, detail: string): Failure => ({ code, field, detail });

const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= max;

const isFen = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** The instant as UTC ISO text with milliseconds, or undefined when it is not an ISO 8601 instant with an offset. */
export function normalInstant(text: unknown): string | undefined {
  if (typeof text !== 'string' || !ISO_INSTANT.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function checkTransfer(t: NewTransfer, postedAt: string): Checked | Failure {
  if (typeof t !== 'object' || t === null) return fail('invalid-transfer', 'id', 'a transfer is an object');
  if (!isText(t.id, 100))
    return fail('invalid-transfer', 'id', 'id: 1 to 100 characters, chosen by the sender');
  if (!isText(t.debit, 100)) return fail('invalid-transfer', 'debit', 'debit: an account id');
  if (!isText(t.credit, 100)) return fail('invalid-transfer', 'credit', 'credit: an account id');
  if (t.debit === t.credit) {
    return fail(
      'same-account',
      'credit',
      `debit and credit are both ${t.debit}; a transfer moves money between two accounts`,
    );
  }
  if (!isText(t.kind, 50)) return fail('invalid-transfer', 'kind', 'kind: 1 to 50 characters, e.g. fare');
  if (t.reference != null && !(typeof t.reference === 'string' && t.reference.length <= 200)) {
    return fail('invalid-transfer', 'reference', 'reference: at most 200 characters');
  }
  if (t.corrects != null && !(isText(t.corrects, 100) && t.corrects !== t.id)) {
    return fail('invalid-transfer', 'corrects', 'corrects: the id of another transfer');
  }
  if (t.linked !== undefined && typeof t.linked !== 'boolean') {
    return fail('invalid-transfer', 'linked', 'linked: true or false');
  }
  const at = normalInstant(t.at);
  if (at === undefined) {
    return fail('invalid-transfer', 'at', `at: "${String(t.at)}" is not an ISO 8601 instant with an offset`);
  }
  const phases = [t.pending, t.postPending, t.voidPending].filter((p) => p != null).length;
  if (phases > 1) {
    return fail(
      'invalid-transfer',
      'pending',
      'a transfer is at most one of pending, postPending, voidPending',
    );
  }
  let type: TransferType = 'single';
  let amount: number | null = t.amount ?? null;
  let pendingId: string | null = null;
  let timeoutSeconds: number | null = null;
  if (t.pending != null) {
    type = 'pending';
    const timeout = t.pending.timeoutSeconds;
    if (
      timeout !== undefined &&
      !(Number.isSafeInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT_SECONDS)
    ) {
      return fail(
        'invalid-transfer',
        'timeoutSeconds',
        `timeoutSeconds: a whole number from 1 to ${MAX_TIMEOUT_SECONDS}`,
      );
    }
    timeoutSeconds = timeout ?? null;
  } else if (t.postPending != null || t.voidPending != null) {
    const ref = t.postPending ?? t.voidPending!;
    type = t.postPending != null ? 'post' : 'void';
    if (!isText(ref.pendingId, 100) || ref.pendingId === t.id) {
      return fail('invalid-transfer', 'pendingId', 'pendingId: the id of a pending transfer');
    }
    pendingId = ref.pendingId;
    const own = t.postPending?.amount;
    if (own !== undefined) {
      if (amount !== null && amount !== own) {
        return fail('invalid-amount', 'amount', `amount ${amount} and postPending.amount ${own} differ`);
      }
      amount = own;
    }
  }
  if (amount === null ? type === 'single' || type === 'pending' : !isFen(amount)) {
    return fail(
      'invalid-amount',
      'amount',
      `amount: a whole number of fen above 0, at most 2^53 − 1; got ${String(amount)}`,
    );
  }
  return {
    transfer: {
      id: t.id,
      debit: t.debit,
      credit: t.credit,
      amount,
      type,
      pendingId,
      timeoutSeconds,
      linked: t.linked === true,
      kind: t.kind,
      reference: t.reference ?? null,
      corrects: t.corrects ?? null,
      at,
      postedAt,
    },
  };
}

/** Whether a stored transfer is what was sent again: every field but the recording time. */
export function sameTransfer(stored: Transfer, sent: Checked['transfer']): boolean {
  return (
    stored.debit === sent.debit &&
    stored.credit === sent.credit &&
    (sent.amount === null || stored.amount === sent.amount) &&
    stored.type === sent.type &&
    stored.pendingId === sent.pendingId &&
    stored.timeoutSeconds === sent.timeoutSeconds &&
    stored.linked === sent.linked &&
    stored.kind === sent.kind &&
    stored.reference === sent.reference &&
    stored.corrects === sent.corrects &&
    stored.at === sent.at
  );
}

/**
 * The chains of a batch: maximal runs of consecutive transfers each linked to the next, as
 * [start, end] index pairs (a transfer on its own is a chain of one). `open` is true for a
 * chain that the batch ends before closing.
 */
export function chainsOf(transfers: readonly NewTransfer[]): { start: number; end: number; open: boolean }[] {
  const out: { start: number; end: number; open: boolean }[] = [];
  let start = 0;
  for (let i = 0; i < transfers.length; i++) {
    const linked = transfers[i]?.linked === true;
    if (!linked || i === transfers.length - 1) {
      out.push({ start, end: i, open: linked });
      start = i + 1;
    }
  }
  return out;
}

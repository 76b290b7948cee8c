/**
 * Every failure that a caller can cause is a Problem: a value with a stable machine-readable
 * code, the HTTP status that code always carries, and the field it concerns. The server turns
 * it into an RFC 9457 problem+json body; the CLI prints it and exits non-zero. Anything else
 * that is thrown is a bug.
 *
 * The codes live in one registry, `PROBLEMS`, as Fastify keeps its own errors: a code that is
 * not in it does not type-check, and a test keeps docs/errors.md in step with it both ways.
 */

export interface ProblemKind {
  status: number;
  title: string;
  /** What the problem's `field` names, when it names one. */
  field: string;
}

export const PROBLEMS = {
  // 400: the request is malformed.
  'invalid-input': {
    status: 400,
    title: 'Invalid input',
    field: 'the parameter or body property that fails the operation’s schema',
  },
  'invalid-body': {
    status: 400,
    title: 'Unreadable body',
    field: 'none: the body as a whole is not valid JSON, or is empty where JSON is expected',
  },
  'invalid-url': {
    status: 400,
    title: 'Unreadable URL',
    field: 'none: the URL is not valid (bad percent-encoding, say)',
  },
  'invalid-date': { status: 400, title: 'Invalid date', field: 'the date parameter (YYYY-MM-DD)' },
  'invalid-time': { status: 400, title: 'Invalid time', field: 'the time parameter (HH:MM[:SS])' },
  'invalid-instant': {
    status: 400,
    title: 'Invalid date and time',
    field: 'the local date-time parameter (YYYY-MM-DDTHH:MM)',
  },
  'invalid-window': {
    status: 400,
    title: 'Invalid time window',
    field: 'the window parameter (HH:MM-HH:MM) or its end',
  },
  'invalid-time-zone': { status: 400, title: 'Unknown time zone', field: 'the time-zone setting' },
  'invalid-number': { status: 400, title: 'Invalid number', field: 'the numeric option' },
  'invalid-coordinate': { status: 400, title: 'Invalid coordinate', field: 'lat or lon' },
  'invalid-origin': { status: 400, title: 'Invalid origin', field: 'from: the origin stops' },
  'invalid-step': { status: 400, title: 'Invalid step', field: 'step: seconds between departures' },
  'invalid-setting': { status: 400, title: 'Invalid setting', field: 'the timetable setting' },
  'invalid-max-transfers': { status: 400, title: 'Invalid transfer limit', field: 'maxTransfers' },
  'invalid-pair': {
    status: 400,
    title: 'Incomplete station pair',
    field: 'from or to, whichever is missing',
  },
  'same-stop': { status: 400, title: 'Same origin and destination', field: 'to' },
  'stop-ambiguous': {
    status: 400,
    title: 'Ambiguous stop name',
    field: 'the stop parameter whose name matches several stations',
  },
  'invalid-feed-id': { status: 400, title: 'Invalid feed id', field: 'the feed id' },
  'invalid-role': { status: 400, title: 'Unknown role', field: 'role' },
  'role-not-allowed': { status: 400, title: 'Role not allowed for this party', field: 'role' },
  'invalid-transfer': {
    status: 400,
    title: 'Invalid transfer',
    field:
      'the transfer property at fault (id, debit, credit, at, kind, reference, corrects, pendingId, timeoutSeconds)',
  },
  'invalid-amount': {
    status: 400,
    title: 'Invalid amount',
    field: 'amount: a whole number of fen above 0 and below 2^53',
  },
  'invalid-card-number': {
    status: 400,
    title: 'Invalid card number',
    field: 'number: sixteen digits whose last is a Luhn check digit',
  },
  'same-account': { status: 400, title: 'Same debit and credit account', field: 'credit' },
  'linked-chain-open': {
    status: 400,
    title: 'Linked chain left open',
    field: 'linked: the batch’s last transfer links to one that is not there',
  },
  'invalid-period': {
    status: 400,
    title: 'Invalid period',
    field: 'from or to: ISO 8601 instants with offsets, to after from',
  },
  'fare-leg-invalid': {
    status: 400,
    title: 'Invalid fare leg',
    field: 'legs[i].start or legs[i].end: an instant that is malformed or out of order',
  },
  'unknown-rider-category': { status: 400, title: 'Unknown rider category', field: 'riderCategory' },
  'unknown-fare-medium': { status: 400, title: 'Unknown fare medium', field: 'fareMedium' },
  // 401, 403: who is asking.
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    field: 'none: the Authorization header is malformed or the key is unknown or revoked',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    field: 'none: the key’s role or party may not do this',
  },
  // 404: what is asked for does not exist.
  'not-found': { status: 404, title: 'Not found', field: 'none: no such route' },
  'unknown-city': {
    status: 404,
    title: 'Unknown city',
    field: 'the parameter naming the city asked for (id, city)',
  },
  'unknown-party': { status: 404, title: 'Unknown party', field: 'party' },
  'unknown-card': { status: 404, title: 'Unknown card', field: 'number' },
  'unknown-pass': { status: 404, title: 'Unknown pass', field: 'id' },
  'unknown-key': { status: 404, title: 'Unknown API key', field: 'id: the key id' },
  'unknown-account': { status: 404, title: 'Unknown account', field: 'debit, credit or account' },
  'unknown-transfer': { status: 404, title: 'Unknown transfer', field: 'corrects: the transfer corrected' },
  'unknown-pending': { status: 404, title: 'Unknown pending transfer', field: 'pendingId' },
  'unknown-settlement': { status: 404, title: 'Unknown settlement run', field: 'run: the run id' },
  'unknown-feed': { status: 404, title: 'Unknown feed', field: 'the parameter naming the feed' },
  'stop-not-found': { status: 404, title: 'No such stop', field: 'the stop parameter' },
  'no-such-file': { status: 404, title: 'No such file', field: 'source: the file to import' },
  // 405 to 431: the request as a whole.
  'method-not-allowed': { status: 405, title: 'Method not allowed', field: 'none' },
  'request-timeout': {
    status: 408,
    title: 'Request timeout',
    field: 'none: the request body did not arrive in time',
  },
  'feed-exists': { status: 409, title: 'Feed id taken', field: 'id: a feed of the region pack has it' },
  'account-exists-different': {
    status: 409,
    title: 'Account exists with other content',
    field: 'id: the account id',
  },
  'transfer-exists-different': {
    status: 409,
    title: 'Transfer exists with other content',
    field: 'id: the transfer id, already used for another transfer',
  },
  'card-exists-different': { status: 409, title: 'Card exists with other details', field: 'number' },
  'validator-exists-different': {
    status: 409,
    title: 'Validator registered with another operator or key',
    field: 'id: the validator id',
  },
  'batch-exists-different': {
    status: 409,
    title: 'Batch number used for other taps',
    field: 'seq: the batch number, already received from this validator with other taps',
  },
  'card-not-active': { status: 409, title: 'Card not active', field: 'number: a hotlisted or replaced card' },
  'pass-not-active': { status: 409, title: 'Pass not active', field: 'id: a revoked pass' },
  'exceeds-balance': {
    status: 409,
    title: 'Exceeds balance',
    field: 'debit or credit: the account whose limit the transfer would break',
  },
  'pending-resolved': {
    status: 409,
    title: 'Pending transfer already resolved',
    field: 'pendingId: it was posted or voided already',
  },
  'pending-expired': {
    status: 409,
    title: 'Pending transfer expired',
    field: 'pendingId: its timeout passed',
  },
  'transfer-race': {
    status: 409,
    title: 'Concurrent batch',
    field: 'id: a concurrent batch recorded this transfer meanwhile; send the batch again',
  },
  'body-too-large': { status: 413, title: 'Body too large', field: 'none' },
  'url-too-long': { status: 414, title: 'URL too long', field: 'none' },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    field: 'none: the Content-Type is not one the operation reads',
  },
  // 422: well-formed, but the data cannot be used.
  'date-outside-feed': {
    status: 422,
    title: 'Date outside the feed',
    field: 'the date parameter; the detail gives the dates the feed covers',
  },
  'gtfs-invalid': {
    status: 422,
    title: 'Invalid GTFS',
    field: 'the GTFS column at fault; the detail names file and line',
  },
  'not-gtfs': { status: 422, title: 'Not a GTFS feed', field: 'source' },
  'feed-damaged': {
    status: 422,
    title: 'Damaged feed record',
    field: 'the feed id; the detail names the damaged file',
  },
  'timetable-invalid': { status: 422, title: 'Unreadable timetable file', field: 'none' },
  'pending-mismatch': {
    status: 422,
    title: 'Does not match the pending transfer',
    field: 'debit, credit or amount: not those of the pending transfer',
  },
  'linked-event-failed': {
    status: 422,
    title: 'Linked transfer failed',
    field: 'linked: another transfer of its chain failed, so this one was not made',
  },
  'fare-leg-unknown': {
    status: 422,
    title: 'Leg unknown to the fares',
    field: 'legs[i].operator, route, network, from or to: what the fare feed does not have',
  },
  'no-fare': { status: 422, title: 'No fare for the leg', field: 'legs[i]: no fare rule prices it' },
  // 429, 431: limits.
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    field: 'none: wait as long as Retry-After says',
  },
  'headers-too-large': { status: 431, title: 'Request headers too large', field: 'none' },
  // 5xx: ours, never the caller's.
  internal: { status: 500, title: 'Internal error', field: 'none: a bug, logged' },
  busy: {
    status: 503,
    title: 'Busy',
    field: 'none: too much heavy work is under way; retry after Retry-After seconds',
  },
  unavailable: {
    status: 503,
    title: 'Service unavailable',
    field: 'none: the database does not answer',
  },
} as const satisfies Record<string, ProblemKind>;

export type ProblemCode = keyof typeof PROBLEMS;

export class Problem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly field: string | undefined;
  /** Seconds the caller should wait before trying again (429, 503): the Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(code: ProblemCode, detail: string, field?: string, options: { retryAfter?: number } = {}) {
    super(detail);
    this.name = 'Problem';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.field = field;
    this.retryAfter = options.retryAfter;
  }

  get title(): string {
    return PROBLEMS[this.code].title;
  }
}

export const problem = (
  code: ProblemCode,
  detail: string,
  field?: string,
  options?: { retryAfter?: number },
) => new Problem(code, detail, field, options);

export const isProblem = (error: unknown): error is Problem => error instanceof Problem;

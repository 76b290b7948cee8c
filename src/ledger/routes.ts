import { type Static, Type } from 'typebox';
import { type App, problemResponses } from '../lib/http.ts';
import { AccountWithBalance, GROUP_BY, SettlementRun, SettleRequest, Statement, Transfer } from './model.ts';
import type { LedgerService } from './service.ts';
import { statementCsv } from './statement.ts';

const security = [{ apiKey: [] }];
const admin = { roles: ['admin'] } as const;
/** A party's key sees its own accounts, transfers and statements; an admin's, everyone's. */
const ownParty = { roles: ['admin', 'operator', 'museum', 'agency'], ownParty: true } as const;

const query = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

const party = Type.String({ minLength: 1, maxLength: 100, description: 'a party id' });
const limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 }));

const StatementQuery = query({
  party,
  run: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'a settlement run; else from and to' }),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', examples: ['2026-12-01T00:00:00+08:00'] })),
  to: Type.Optional(Type.String({ format: 'date-time', examples: ['2026-12-02T00:00:00+08:00'] })),
  groupBy: Type.Optional(Type.Enum(GROUP_BY)),
  kinds: Type.Optional(Type.String({ maxLength: 500, description: 'comma-separated kinds that count' })),
});

const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

function statementOf(
  ledger: LedgerService,
  actor: Parameters<LedgerService['statement']>[0],
  q: Static<typeof StatementQuery>,
) {
  if (q.run !== undefined) return ledger.statement(actor, q.run, q.party);
  return ledger.statementOfPeriod(actor, q.party, {
    from: q.from ?? '',
    to: q.to ?? '',
    groupBy: q.groupBy,
    kinds: list(q.kinds),
  });
}

export function ledgerRoutes(app: App, ledger: LedgerService): void {
  app.get(
    '/api/ledger/accounts',
    {
      schema: {
        tags: ['ledger'],
        summary: 'A party’s accounts and their balances (fen)',
        security,
        querystring: query({ party }),
        response: { 200: Type.Array(AccountWithBalance), ...problemResponses },
      },
      config: { access: ownParty },
    },
    async (request) => ledger.accounts(request.principal, request.query.party),
  );

  app.get(
    '/api/ledger/transfers',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The latest transfers of a party’s accounts, or of one of them',
        security,
        querystring: query({
          party,
          account: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          limit,
        }),
        response: { 200: Type.Array(Transfer), ...problemResponses },
      },
      config: { access: ownParty },
    },
    async (request) => ledger.transfers(request.principal, request.query.party, request.query),
  );

  app.get(
    '/api/ledger/settlements',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Settlement runs, newest first (admin)',
        security,
        querystring: query({ limit }),
        response: { 200: Type.Array(SettlementRun), ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => ledger.runs(request.principal, request.query.limit),
  );

  app.post(
    '/api/ledger/settlements',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Settle a period: net positions and payments, recorded as a new run (admin)',
        security,
        body: SettleRequest,
        response: { 201: SettlementRun, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request, reply) => reply.code(201).send(await ledger.settle(request.principal, request.body)),
  );

  app.get(
    '/api/ledger/statement',
    {
      schema: {
        tags: ['ledger'],
        summary: 'A party’s statement: of a settlement run, or of a period as the ledger stands',
        security,
        querystring: StatementQuery,
        response: { 200: Statement, ...problemResponses },
      },
      config: { access: ownParty },
    },
    async (request) => statementOf(ledger, request.principal, request.query),
  );

  app.get(
    '/api/ledger/statement.csv',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The same statement as CSV (RFC 4180): a row per counterparty and kind, then the totals',
        security,
        querystring: StatementQuery,
        response: { 200: Type.String({ description: 'text/csv' }), ...problemResponses },
      },
      config: { access: ownParty },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8; header=present')
        .send(statementCsv(await statementOf(ledger, request.principal, request.query))),
  );
}

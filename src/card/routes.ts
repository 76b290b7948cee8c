import { Type } from 'typebox';
import { type App, problemResponses } from '../lib/http.ts';
import {
  BatchResult,
  Card,
  CardDay,
  CardNumber,
  CardSettlement,
  CardStatement,
  Flow,
  HotlistDelta,
  HotlistRequest,
  NewCard,
  NewValidator,
  OperatorLeg,
  TapBatch,
  TopUp,
  Validator,
} from './model.ts';
import type { CardService } from './service.ts';

const security = [{ apiKey: [] }];
const admin = { roles: ['admin'] } as const;
const operators = { roles: ['operator', 'admin'] } as const;
const byNumber = Type.Object({ number: CardNumber });
const date = (example: string) => Type.String({ format: 'date', examples: [example] });

/**
 * Card numbers appear in these paths, so the request log shows each route's pattern instead of
 * its URL (see `logPattern` in server/app.ts): no rider's number is written to a log.
 */
const sensitive = { logPattern: true } as const;

export function cardRoutes(app: App, cards: CardService): void {
  app.post(
    '/api/card/cards',
    {
      schema: {
        tags: ['card'],
        summary:
          'Issue a Metropolitan Tong card (admin); issuing a number twice with the same details changes nothing',
        security,
        body: NewCard,
        response: { 200: Card, 201: Card, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request, reply) => {
      const { card, created } = await cards.issue(request.principal, request.body);
      return reply.code(created ? 201 : 200).send(card);
    },
  );

  app.get(
    '/api/card/cards',
    {
      schema: {
        tags: ['card'],
        summary: 'Cards in number order (admin)',
        security,
        querystring: Type.Object({
          after: Type.Optional(CardNumber),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
        response: { 200: Type.Array(Card), ...problemResponses },
      },
      config: { access: admin, ...sensitive },
    },
    async (request) => cards.listCards(request.principal, request.query.limit, request.query.after),
  );

  app.get(
    '/api/card/cards/:number',
    {
      schema: {
        tags: ['card'],
        summary: 'A card: status, category, stored value and what is held for open journeys (admin)',
        security,
        params: byNumber,
        response: { 200: Card, ...problemResponses },
      },
      config: { access: admin, ...sensitive },
    },
    async (request) => cards.card(request.principal, request.params.number),
  );

  app.get(
    '/api/card/cards/:number/days',
    {
      schema: {
        tags: ['card'],
        summary:
          "A card's service days: each leg, what was missing, what it cost and which fare rules said so (admin)",
        security,
        params: byNumber,
        querystring: Type.Object({ from: date('2026-11-23'), to: date('2026-11-29') }),
        response: { 200: Type.Array(CardDay), ...problemResponses },
      },
      config: { access: admin, ...sensitive },
    },
    async (request) =>
      cards.days(request.principal, request.params.number, request.query.from, request.query.to),
  );

  app.post(
    '/api/card/cards/:number/top-ups',
    {
      schema: {
        tags: ['card'],
        summary: 'Add stored value (admin); the same top-up id twice credits once',
        security,
        params: byNumber,
        body: TopUp,
        response: { 200: Card, ...problemResponses },
      },
      config: { access: admin, ...sensitive },
    },
    async (request) => cards.topUp(request.principal, request.params.number, request.body),
  );

  app.post(
    '/api/card/cards/:number/hotlist',
    {
      schema: {
        tags: ['card'],
        summary: 'Report a card lost or stolen (admin): taps after that instant are refused',
        security,
        params: byNumber,
        body: HotlistRequest,
        response: { 200: Card, ...problemResponses },
      },
      config: { access: admin, ...sensitive },
    },
    async (request) => cards.hotlist(request.principal, request.params.number, request.body),
  );

  app.post(
    '/api/card/cards/:number/replace',
    {
      schema: {
        tags: ['card'],
        summary: 'Replace a card (admin): the old one is hotlisted and its stored value moves to the new one',
        security,
        params: byNumber,
        response: { 200: Card, ...problemResponses },
      },
      config: { access: admin, ...sensitive },
    },
    async (request) => cards.replace(request.principal, request.params.number),
  );

  app.get(
    '/api/card/hotlist',
    {
      schema: {
        tags: ['card'],
        summary: "The deny list's entries after version `since` (operators' validators poll this)",
        security,
        querystring: Type.Object({ since: Type.Integer({ minimum: 0, default: 0, examples: [0] }) }),
        response: { 200: HotlistDelta, ...problemResponses },
      },
      config: { access: operators },
    },
    async (request) => cards.hotlistDelta(request.principal, request.query.since),
  );

  app.get(
    '/api/card/validators',
    {
      schema: {
        tags: ['card'],
        summary: "Validators: an operator's key sees its own, with the batches missing from each",
        security,
        response: { 200: Type.Array(Validator), ...problemResponses },
      },
      config: { access: operators },
    },
    async (request) => cards.listValidators(request.principal),
  );

  app.post(
    '/api/card/validators',
    {
      schema: {
        tags: ['card'],
        summary: "Register a validator and its Ed25519 public key (the operator's key, or admin)",
        security,
        body: NewValidator,
        response: { 200: Validator, ...problemResponses },
      },
      config: { access: { ...operators, ownParty: true } },
    },
    async (request) => cards.registerValidator(request.principal, request.body),
  );

  app.post(
    '/api/card/taps',
    {
      schema: {
        tags: ['card'],
        summary:
          "A validator's signed, numbered batch of taps; each tap is taken once and each refused tap says why. A batch sent again gets its first answer.",
        security,
        body: TapBatch,
        response: { 200: BatchResult, ...problemResponses },
      },
      config: { access: operators, ...sensitive },
    },
    async (request) => cards.ingest(request.principal, request.body),
  );

  app.post(
    '/api/card/settlements',
    {
      schema: {
        tags: ['card'],
        summary:
          "Settle a service date's fares (admin): each party's or jurisdiction's net position, the fewest payments, and each operator's fares tied back to the taps; recorded as a ledger run",
        security,
        body: Type.Object(
          {
            date: date('2026-11-24'),
            groupBy: Type.Optional(Type.Enum(['party', 'jurisdiction'] as const, { default: 'party' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CardSettlement, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => cards.settle(request.principal, request.body.date, request.body.groupBy ?? 'party'),
  );

  app.get(
    '/api/card/statements',
    {
      schema: {
        tags: ['card'],
        summary:
          "A party's statement of a service date's fares, with an operator's tie-back to its taps (that party's key, or admin)",
        security,
        querystring: Type.Object({
          date: date('2026-11-24'),
          party: Type.String({ minLength: 1, maxLength: 100, examples: ['shanghai-metro'] }),
        }),
        response: { 200: CardStatement, ...problemResponses },
      },
      config: { access: { roles: ['operator', 'agency', 'admin'], ownParty: true } },
    },
    async (request) => cards.statement(request.principal, request.query.date, request.query.party),
  );

  app.get(
    '/api/card/trips',
    {
      schema: {
        tags: ['card'],
        summary:
          "An operator's legs on a service date from its validators' taps, with what each cost; cards show their last four digits (that operator's key, or admin)",
        security,
        querystring: Type.Object({
          date: date('2026-11-24'),
          party: Type.String({ minLength: 1, maxLength: 100, examples: ['shanghai-metro'] }),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })),
        }),
        response: { 200: Type.Array(OperatorLeg), ...problemResponses },
      },
      config: { access: { ...operators, ownParty: true } },
    },
    async (request) =>
      cards.operatorTrips(request.principal, request.query.party, request.query.date, request.query.limit),
  );

  app.get(
    '/api/card/flows',
    {
      schema: {
        tags: ['card'],
        summary:
          'Trips between cities on a service day, from card taps; flows of fewer than 3 riders are left out',
        querystring: Type.Object({ date: date('2026-11-24') }),
        response: { 200: Type.Array(Flow), ...problemResponses },
      },
      config: { access: 'public' },
    },
    async (request) => cards.flows(request.query.date),
  );
}

/**
 * What every module's routes share: the typed Fastify instance, the RFC 9457 problem schema,
 * and the principal the server attached to the request.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { type Static, Type } from 'typebox';
import type { Access, Principal } from './access.ts';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The party and role of the API key presented, or null for an anonymous (public) request. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; required of every route (see `Access`). */
    access?: Access;
    /**
     * The request log shows the route's pattern (`/api/card/cards/:number`), not its URL: for
     * routes whose paths or queries carry what must not be logged, such as a card number.
     */
    logPattern?: boolean;
  }
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'urn:tongcheng:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'stable, machine-readable: one of docs/errors.md' }),
    field: Type.Optional(Type.String({ description: 'the input field the problem concerns' })),
    instance: Type.Optional(Type.String()),
  },
  { title: 'Problem', description: 'RFC 9457 problem details' },
);
export type ProblemBody = Static<typeof ProblemSchema>;

/** Responses every route may give besides its own: bad input, missing key, wrong role. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
};

/** The server's own shapes: what `/api/health` answers. */
import { type Static, Type } from 'typebox';

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  store: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  region: Type.String(),
});
export type Health = Static<typeof Health>;

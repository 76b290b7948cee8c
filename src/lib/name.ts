/** A name in the region's languages. Identifiers stay ASCII; names live in data. */
import { type Static, Type } from 'typebox';

export const Name = Type.Object(
  { zh: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false, description: 'a name in the region’s languages' },
);
export type Name = Static<typeof Name>;

/** A name in the region's languages. Identifiers stay ASCII; names live in data. */
export type Name = { zh: string; en: string };

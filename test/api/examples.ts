/**
 * The records that the API's example values name, planted before the checks walk the API: a
 * route that acts on one record (a card by its number) needs one to exist for a valid request
 * to get a 2xx. A module whose routes take such a record plants it here.
 */
import { cardModule } from '../../src/card/index.ts';
import { EXAMPLE_CARD } from '../../src/card/model.ts';
import { LOCAL_ADMIN } from '../../src/lib/access.ts';
import type { Runtime } from '../../src/modules.ts';
import { passModule } from '../../src/pass/index.ts';

export async function plantExamples(runtime: Runtime): Promise<void> {
  if (runtime.modules.includes(cardModule)) {
    const cards = await runtime.service(cardModule);
    await cards.issue(LOCAL_ADMIN, { number: EXAMPLE_CARD, category: 'adult', issuer: 'shanghai' });
  }
  if (runtime.modules.includes(passModule)) {
    await (await runtime.service(passModule)).issue(LOCAL_ADMIN, { holder: 'Example Holder' });
  }
}

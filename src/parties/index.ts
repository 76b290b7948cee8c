export { keyCommands } from './commands.ts';
export type { ApiKey, Party, PartyKind, Principal, Role } from './model.ts';
export { LOCAL_ADMIN, ROLES, SCHEME_PARTY_ID } from './model.ts';
export { partiesRoutes } from './routes.ts';
export { PartiesService, requireRole } from './service.ts';
export { migrations, PartiesStore } from './store.ts';

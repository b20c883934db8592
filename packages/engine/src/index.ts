export { AuthService } from './auth/auth-service.ts';
export type {
  ApiToken,
  CreatedToken,
  LoginResult,
  NewToken,
  NewUser,
  SessionAuth,
  TokenAuth,
  User,
  UserPatch,
} from './auth/types.ts';
export { defaultDatabasePath, Engine, type EngineOptions, openEngine } from './engine.ts';
export { EngineError, type ErrorCode, errorCodes, isEngineError } from './errors.ts';
export type { DomainEvent } from './events/outbox.ts';
export * from './schema/enums.ts';
export {
  type Incident,
  type IncidentColumn,
  type IncidentInput,
  incidentColumns,
  incidentInputSchema,
  type ValidIncident,
} from './schema/incident.ts';
export { defaultPageSize, type ListRequest, maxPageSize, type Page } from './store/list-query.ts';

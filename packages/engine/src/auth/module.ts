import { defineCapability } from '../capability.ts';
import type { AuthService } from './auth-service.ts';
import { userRolesMigration } from './user-roles.ts';

/** Users, API tokens and sessions (`engine.auth`). */
export const authModule = defineCapability({
  name: 'auth',
  migrations: [userRolesMigration],
  createService: async (context): Promise<AuthService> => {
    const { AuthService } = await import('./auth-service.ts');
    return new AuthService(context);
  },
});

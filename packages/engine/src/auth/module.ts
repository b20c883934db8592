import { defineCapability } from '../capability.ts';
import type { AuthService } from './auth-service.ts';

/** Users, API tokens and sessions (`engine.auth`). */
export const authModule = defineCapability({
  name: 'auth',
  createService: async (context): Promise<AuthService> => {
    const { AuthService } = await import('./auth-service.ts');
    return new AuthService(context);
  },
});

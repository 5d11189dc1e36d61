/** `candela token USER [--admin] [--expires 24h]`: prints a JWT signed with AUTH_SECRET. */
import type { Config } from '../../config/env.js';
import { signToken } from '../../router/auth.js';
import { userIdSchema } from '../../router/schemas.js';
import { UsageError } from '../usageError.js';

export async function runToken(config: Config, args: string[]): Promise<void> {
  const [user, ...flags] = args;
  const userId = userIdSchema.safeParse(user);
  if (!userId.success)
    throw new UsageError(
      'usage: candela token USER [--admin] [--expires 24h]  (USER: 1-64 letters, digits or _ . @ -)',
    );
  if (!config.AUTH_SECRET) throw new UsageError('AUTH_SECRET: set it to the secret the API verifies tokens with');
  const expiresIndex = flags.indexOf('--expires');
  const expiresIn = expiresIndex >= 0 ? flags[expiresIndex + 1] : undefined;
  process.stdout.write(
    `${await signToken(config.AUTH_SECRET, userId.data, { admin: flags.includes('--admin'), expiresIn })}\n`,
  );
}

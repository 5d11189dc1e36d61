/** initTRPC once; the procedure builders and named middlewares every router uses. */
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { TokenRejected, verifyToken, type AuthUser } from './auth.js';
import type { Context } from './context.js';
import { INTERNAL_MESSAGE, newRequestId } from './publicErrors.js';
import { RateLimited, rateLimitedError } from './rateLimits.js';
import { userIdSchema } from './schemas.js';

/** The first problem of a validation error as `field: message`, so a 400 names the field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** One id per failed call, even if tRPC formats the error more than once. */
const requestIds = new WeakMap<Error, string>();

/** An unexpected failure is logged with a fresh request id, and the client gets only the id. */
function internalRequestId(error: Error, ctx: Context | undefined, path: string | undefined): string {
  let requestId = requestIds.get(error);
  if (requestId === undefined) {
    requestId = newRequestId();
    requestIds.set(error, requestId);
    ctx?.services.log.error({ err: error.cause ?? error, requestId, path }, 'procedure failed');
  }
  return requestId;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx, path }) {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      const requestId = internalRequestId(error, ctx, path);
      return {
        ...shape,
        message: `${INTERNAL_MESSAGE} (request id ${requestId})`,
        data: { ...shape.data, stack: undefined, requestId },
      };
    }
    const zodError = error.cause instanceof z.ZodError ? error.cause : undefined;
    return {
      ...shape,
      message: zodError ? describeZodError(zodError) : shape.message,
      data: { ...shape.data, stack: undefined, fields: zodError ? z.flattenError(zodError).fieldErrors : undefined },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

export const LOCAL_USER = 'local';

/** The input's user_id, checked before it is compared with the token: a number is a 400 naming its type, not a 403. */
function claimedUserId(rawInput: unknown): string | undefined {
  const claimed =
    typeof rawInput === 'object' && rawInput !== null ? (rawInput as { user_id?: unknown }).user_id : undefined;
  if (claimed === undefined || claimed === null) return undefined;
  const userId = userIdSchema.safeParse(claimed);
  if (userId.success) return userId.data;
  const problem =
    typeof claimed === 'string'
      ? (userId.error.issues[0]?.message ?? 'invalid')
      : `must be a string, got ${Array.isArray(claimed) ? 'array' : typeof claimed}`;
  throw new TRPCError({ code: 'BAD_REQUEST', message: `user_id: ${problem}` });
}

async function resolveUser(ctx: Context, rawInput: unknown): Promise<AuthUser> {
  const claimed = claimedUserId(rawInput);
  if (ctx.services.config.AUTH_MODE === 'none') {
    // Local development on loopback only (checkApiConfig): the caller is whoever user_id says, `local` if unsaid;
    // admin only when the operator says so, since any local process can call.
    return { id: claimed ?? LOCAL_USER, admin: ctx.services.config.AUTH_NONE_ADMIN };
  }
  if (!ctx.token)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'missing bearer token (Authorization: Bearer <JWT>)' });
  try {
    const user = await verifyToken(ctx.services.config.AUTH_SECRET ?? '', ctx.token);
    // Counted once the token is genuine, so forged tokens cannot use up someone's allowance (the IP limit covers them).
    ctx.services.rateLimits.perToken.take(ctx.token);
    if (claimed !== undefined && claimed !== user.id)
      throw new TRPCError({ code: 'FORBIDDEN', message: 'user_id: does not match the token' });
    return user;
  } catch (error) {
    if (error instanceof TokenRejected) throw new TRPCError({ code: 'UNAUTHORIZED', message: error.message });
    if (error instanceof RateLimited) throw rateLimitedError(error);
    throw error;
  }
}

/** Verifies the token on every call (not only at WebSocket connect) and puts the user on the context. */
export const isAuthed = middleware(async ({ ctx, next, getRawInput }) =>
  next({ ctx: { user: await resolveUser(ctx, await getRawInput()) } }),
);

export const isAdmin = isAuthed.unstable_pipe(({ ctx, next }) => {
  if (!ctx.user.admin) throw new TRPCError({ code: 'FORBIDDEN', message: 'admin token required' });
  return next();
});

export const authedProcedure = publicProcedure.use(isAuthed);
export const adminProcedure = publicProcedure.use(isAdmin);

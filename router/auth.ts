/** JWT (HS256) tokens: `sub` is the user id, `admin: true` grants the admin procedures. */
import { SignJWT, jwtVerify, errors } from 'jose';
import { userIdSchema } from './schemas.js';

export interface AuthUser {
  id: string;
  admin: boolean;
}

const ALGORITHM = 'HS256';
const secretKey = (secret: string) => new TextEncoder().encode(secret);

export async function signToken(
  secret: string,
  userId: string,
  options: { admin?: boolean; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT({ admin: options.admin === true })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '24h')
    .sign(secretKey(secret));
}

export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
}

export async function verifyToken(secret: string, token: string): Promise<AuthUser> {
  try {
    // A token without `exp` would be valid forever once leaked.
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: [ALGORITHM], requiredClaims: ['exp'] });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new TokenRejected('token has no subject (sub)');
    // The subject becomes the user id in Redis keys, so it obeys the same rule as user_id.
    if (!userIdSchema.safeParse(payload.sub).success)
      throw new TokenRejected('token subject (sub) is not a valid user id: 1-64 letters, digits or _ . @ -');
    return { id: payload.sub, admin: payload.admin === true };
  } catch (error) {
    if (error instanceof TokenRejected) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenRejected('token expired');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp')
      throw new TokenRejected('token has no expiry (exp)');
    throw new TokenRejected('invalid token');
  }
}

/** Longer Authorization values are refused unread: a real JWT of ours is a few hundred bytes. */
export const MAX_AUTHORIZATION_LENGTH = 4096;

const isSpace = (code: number) =>
  code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c;

/**
 * The token of `Bearer <token>` (scheme case-insensitive), in one pass: a regex with `\s+(.+)`
 * backtracks quadratically on long runs of whitespace, before anyone is authenticated.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  if (header.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  let start = 6;
  while (start < header.length && isSpace(header.charCodeAt(start))) start += 1;
  if (start === 6) return undefined;
  let end = header.length;
  while (end > start && isSpace(header.charCodeAt(end - 1))) end -= 1;
  return end > start ? header.slice(start, end) : undefined;
}

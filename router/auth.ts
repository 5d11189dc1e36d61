/** JWT (HS256) tokens: `sub` is the user id, `admin: true` grants the admin procedures. */
import { SignJWT, jwtVerify, errors } from 'jose';

export interface AuthUser {
  id: string;
  admin: boolean;
}

const ALGORITHM = 'HS256';
const secretKey = (secret: string) => new TextEncoder().encode(secret);

export async function signToken(secret: string, userId: string, options: { admin?: boolean; expiresIn?: string } = {}): Promise<string> {
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
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: [ALGORITHM] });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new TokenRejected('token has no subject (sub)');
    return { id: payload.sub, admin: payload.admin === true };
  } catch (error) {
    if (error instanceof TokenRejected) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenRejected('token expired');
    throw new TokenRejected('invalid token');
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1]?.trim();
}

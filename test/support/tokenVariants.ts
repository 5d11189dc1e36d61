/** Every kind of token a caller can present, signed (or mis-signed) with jose like the API verifies them. */
import { SignJWT } from 'jose';

const key = (secret: string) => new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

export function validToken(secret: string, user: string, options: { admin?: boolean } = {}): Promise<string> {
  return new SignJWT({ admin: options.admin === true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key(secret));
}

export function expiredToken(secret: string, user: string): Promise<string> {
  return new SignJWT({ admin: true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user)
    .setIssuedAt(now() - 120)
    .setExpirationTime(now() - 60)
    .sign(key(secret));
}

export function tokenWithoutExpiry(secret: string, user: string): Promise<string> {
  return new SignJWT({ admin: true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user)
    .setIssuedAt()
    .sign(key(secret));
}

export function wronglySignedToken(user: string): Promise<string> {
  return new SignJWT({ admin: true })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user)
    .setExpirationTime('1h')
    .sign(key('not-the-api-secret-0123456789'));
}

/** `alg: none` with an admin claim: must never be accepted. */
export function unsignedToken(user: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: user, admin: true, exp: now() + 3600 })}.`;
}

/** A valid signature over a subject that is not a valid user id (it would land in Redis keys). */
export function badSubjectToken(secret: string, subject: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setExpirationTime('1h')
    .sign(key(secret));
}

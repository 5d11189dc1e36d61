/** Bearer parsing in linear time, and the claims a token must carry. */
import { SignJWT } from 'jose';
import { bearerToken, MAX_AUTHORIZATION_LENGTH, TokenRejected, verifyToken } from '../../../router/auth.js';

const SECRET = 'unit-secret-0123456789abcdef';
const sign = (claims: { sub?: string; exp?: string }) => {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
  if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(SECRET));
};

describe('bearerToken', () => {
  test('takes the token after the scheme, any case, surrounding whitespace trimmed', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer \t abc ')).toBe('abc');
    expect(bearerToken('Bearerabc')).toBeUndefined();
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer    ')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  test('"Bearer" + 15,000 spaces + two newlines costs what a plain header of that length costs (linear, not quadratic)', () => {
    const hostile = `Bearer${' '.repeat(15_000)}\n\n`.slice(0, MAX_AUTHORIZATION_LENGTH);
    const plain = `Bearer ${'a'.repeat(MAX_AUTHORIZATION_LENGTH - 7)}`;
    // Relative to the plain header, so a busy machine slows both alike; a quadratic parse is about 1,000x dearer.
    const medianMs = (header: string) => {
      const rounds: number[] = [];
      for (let round = 0; round < 15; round += 1) {
        const started = performance.now();
        for (let call = 0; call < 20; call += 1) bearerToken(header);
        rounds.push(performance.now() - started);
      }
      return rounds.sort((a, b) => a - b)[7]!;
    };
    expect(bearerToken(`Bearer${' '.repeat(15_000)}\n\n`)).toBeUndefined();
    expect(medianMs(hostile)).toBeLessThan(20 * medianMs(plain) + 1);
  });

  test('a header longer than the cap is not read', () => {
    expect(bearerToken(`Bearer ${'a'.repeat(MAX_AUTHORIZATION_LENGTH)}`)).toBeUndefined();
  });
});

describe('verifyToken', () => {
  test('accepts a token with a valid subject and an expiry', async () => {
    expect(await verifyToken(SECRET, await sign({ sub: 'alice', exp: '1h' }))).toEqual({ id: 'alice', admin: false });
  });

  test('refuses a token without exp', async () => {
    await expect(verifyToken(SECRET, await sign({ sub: 'alice' }))).rejects.toThrow(
      new TokenRejected('token has no expiry (exp)'),
    );
  });

  test('refuses a subject that is not a valid user id (it would go into Redis keys)', async () => {
    for (const sub of ['alice:x', 'a b', 'x'.repeat(65), 'ü']) {
      await expect(verifyToken(SECRET, await sign({ sub, exp: '1h' }))).rejects.toThrow(/not a valid user id/);
    }
  });
});

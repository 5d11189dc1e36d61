/** The signed-in token, kept for this tab only (sessionStorage), and what the page may read from it. */
const KEY = 'candela.token';

export interface Claims {
  user: string;
  admin: boolean;
  /** Epoch ms, when the token says. */
  expiresAt: number | undefined;
}

export const savedToken = (): string | null => sessionStorage.getItem(KEY);
export const saveToken = (token: string): void => sessionStorage.setItem(KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(KEY);

/**
 * The JWT's claims, read without verifying: only to label the page (who, admin views).
 * The API verifies the token on every call and refuses what it does not allow.
 */
export function readClaims(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { sub?: unknown; admin?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string') return undefined;
    return {
      user: claims.sub,
      admin: claims.admin === true,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
    };
  } catch {
    return undefined;
  }
}

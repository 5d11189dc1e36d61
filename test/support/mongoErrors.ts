/** Errors the MongoDB test stand-in answers with, shaped as a real server's (`ok: 0`, `errmsg`, `code`, `codeName`). */
import type { Document } from 'bson';

export class MongoCommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
  }
}

export const notEmulated = (what: string) =>
  new MongoCommandError(
    59,
    'CommandNotFound',
    `${what} is not emulated by the MongoDB test stand-in; extend test/support/mongo* or run against a real MongoDB (MONGODB_URL)`,
  );

export const badValue = (message: string) => new MongoCommandError(2, 'BadValue', message);

export const namespaceNotFound = (namespace: string) =>
  new MongoCommandError(26, 'NamespaceNotFound', `ns not found: ${namespace}`);

export function errorReply(error: unknown): Document {
  if (error instanceof MongoCommandError)
    return { ok: 0, errmsg: error.message, code: error.code, codeName: error.codeName, ...error.extra };
  const message = error instanceof Error ? error.message : String(error);
  // mingo reports an unknown operator by throwing; that is a gap in the stand-in, so say so loudly.
  return { ok: 0, errmsg: `MongoDB test stand-in: ${message}`, code: 59, codeName: 'CommandNotFound' };
}

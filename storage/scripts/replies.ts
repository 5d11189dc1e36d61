/** Small checks for script replies: each returns the typed value or calls `fail`, which throws naming the script. */
import type { ReplyFail } from './scriptDefinition.js';

export function list(reply: unknown, fail: ReplyFail): unknown[] {
  return Array.isArray(reply) ? reply : fail('an array');
}

export function integer(reply: unknown, fail: ReplyFail): number {
  return typeof reply === 'number' && Number.isInteger(reply) ? reply : fail('an integer');
}

export function text(reply: unknown, fail: ReplyFail): string {
  return typeof reply === 'string' ? reply : fail('a string');
}

/** A Lua `false` arrives as null. */
export function textOrNull(reply: unknown, fail: ReplyFail): string | null {
  return reply === null ? null : text(reply, fail);
}

export function integers(reply: unknown, fail: ReplyFail): number[] {
  return list(reply, fail).map((value) => integer(value, fail));
}

/** The reply itself once checked, not a copy: replies with an entry per job are read for every job. */
export function texts(reply: unknown, fail: ReplyFail): string[] {
  const values = list(reply, fail);
  for (const value of values) if (typeof value !== 'string') fail('a string');
  return values as string[];
}

export function oneOf<const T extends string>(reply: unknown, allowed: readonly T[], fail: ReplyFail): T {
  return typeof reply === 'string' && (allowed as readonly string[]).includes(reply)
    ? (reply as T)
    : fail(`one of ${allowed.join(', ')}`);
}

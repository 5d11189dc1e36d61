/** Checked readers for the raw stream replies ioredis leaves untyped (XREADGROUP, XAUTOCLAIM, XRANGE, XPENDING, XINFO). */
import { list, text, texts } from './scripts/replies.js';

/** One stream entry; `fields` is null for an entry trimmed from the stream while still pending. */
export interface RawEntry {
  id: string;
  fields: string[] | null;
}

function failFor(command: string, reply: unknown) {
  return (expected: string): never => {
    const json = JSON.stringify(reply) ?? String(reply);
    throw new Error(
      `Redis ${command} replied ${json.length > 200 ? `${json.slice(0, 200)}…` : json}; expected ${expected}`,
    );
  };
}

function entries(reply: unknown, fail: (expected: string) => never): RawEntry[] {
  return list(reply, fail).map((entry) => {
    const [id, fields] = list(entry, fail);
    return { id: text(id, fail), fields: fields === null ? null : texts(fields, fail) };
  });
}

/** XREADGROUP / XREAD on one stream: its entries (none when the read timed out). */
export function readReply(reply: unknown): RawEntry[] {
  const fail = failFor('XREADGROUP', reply);
  if (reply === null) return [];
  const [stream] = list(reply, fail);
  if (stream === undefined) return [];
  return entries(list(stream, fail)[1], fail);
}

export function rangeReply(reply: unknown): RawEntry[] {
  return entries(reply, failFor('XRANGE', reply));
}

export function autoclaimReply(reply: unknown): { cursor: string; entries: RawEntry[] } {
  const fail = failFor('XAUTOCLAIM', reply);
  const [cursor, claimed] = list(reply, fail);
  return { cursor: text(cursor, fail), entries: entries(claimed, fail) };
}

/** XINFO GROUPS / CONSUMERS: one field/value record per group or consumer, values as text. */
export function infoReply(reply: unknown): Record<string, string>[] {
  const fail = failFor('XINFO', reply);
  return list(reply, fail).map((fields) => {
    const record: Record<string, string> = {};
    const flat = list(fields, fail);
    for (let index = 0; index + 1 < flat.length; index += 2) record[text(flat[index], fail)] = String(flat[index + 1]);
    return record;
  });
}

/** XPENDING, extended form: how many entries came back. */
export function pendingCountReply(reply: unknown): number {
  return list(reply, failFor('XPENDING', reply)).length;
}

/**
 * Sends a described script: loaded once per client from storage/lua (with its includes and
 * the generated preamble that names its KEYS and ARGV), sent by EVALSHA (ioredis falls back
 * to EVAL after a restart flushed the script cache), its reply checked by its parser.
 */
import type { RedisClient } from '../redisConnection.js';
import { readLuaSource } from './luaSource.js';
import {
  type AnyScript,
  type CallOf,
  luaPreamble,
  type ScriptArg,
  scriptArguments,
  ScriptReplyError,
  type ScriptReply,
} from './scriptDefinition.js';

const LUA_DIR = new URL('../lua/', import.meta.url);

type Caller = (numberOfKeys: number, ...args: ScriptArg[]) => Promise<unknown>;
const defined = new WeakMap<RedisClient, Set<string>>();

/** The full Lua text a script runs: the preamble, then its file with includes resolved. */
export function scriptSource(spec: AnyScript): string {
  return luaPreamble(spec) + readLuaSource(LUA_DIR, spec.file);
}

function commandFor(client: RedisClient, spec: AnyScript): Caller {
  const command = `candela_${spec.name}`;
  let names = defined.get(client);
  if (!names) defined.set(client, (names = new Set()));
  if (!names.has(command)) {
    client.defineCommand(command, { lua: scriptSource(spec) });
    names.add(command);
  }
  const caller = (client as unknown as Record<string, Caller>)[command]!;
  return caller.bind(client);
}

function describe(reply: unknown): string {
  const json = JSON.stringify(reply) ?? String(reply);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

export async function runScript<S extends AnyScript>(
  client: RedisClient,
  spec: S,
  call: CallOf<S>,
): Promise<ScriptReply<S>> {
  const { keys, argv } = scriptArguments(spec, call);
  const reply = await commandFor(client, spec)(keys.length, ...keys, ...argv);
  const fail = (expected: string): never => {
    throw new ScriptReplyError(
      `Lua script ${spec.name} (${spec.file}) replied ${describe(reply)}; expected ${expected}`,
    );
  };
  return spec.parseReply(reply, fail) as ScriptReply<S>;
}

/**
 * Sends a described script: loaded once per client from storage/lua (with its includes and
 * the generated preamble that names its KEYS and ARGV), sent by EVALSHA (EVAL after a restart
 * flushed the script cache), its reply checked by its parser.
 */
import { createHash } from 'node:crypto';
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

interface Compiled {
  source: string;
  sha: string;
}
const compiled = new WeakMap<AnyScript, Compiled>();

/** The full Lua text a script runs: the preamble, then its file with includes resolved. */
export function scriptSource(spec: AnyScript): string {
  return luaPreamble(spec) + readLuaSource(LUA_DIR, spec.file);
}

function compile(spec: AnyScript): Compiled {
  let script = compiled.get(spec);
  if (!script) {
    const source = scriptSource(spec);
    script = { source, sha: createHash('sha1').update(source).digest('hex') };
    compiled.set(spec, script);
  }
  return script;
}

/**
 * EVALSHA as a built-in command rather than an ioredis defineCommand: with auto-pipelining on
 * a Cluster, ioredis groups a defined command by its first argument (the key count), so scripts
 * of different queue partitions landed in one pipeline and were refused; a built-in EVALSHA is
 * grouped by its first key. On NOSCRIPT (a restarted or failed-over Redis) it sends the source.
 */
async function send(client: RedisClient, spec: AnyScript, keys: string[], argv: ScriptArg[]): Promise<unknown> {
  const { source, sha } = compile(spec);
  try {
    return await client.evalsha(sha, keys.length, ...keys, ...argv);
  } catch (error) {
    if (!String(error).includes('NOSCRIPT')) throw error;
    return client.eval(source, keys.length, ...keys, ...argv);
  }
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
  const reply = await send(client, spec, keys, argv);
  const fail = (expected: string): never => {
    throw new ScriptReplyError(
      `Lua script ${spec.name} (${spec.file}) replied ${describe(reply)}; expected ${expected}`,
    );
  };
  return spec.parseReply(reply, fail) as ScriptReply<S>;
}

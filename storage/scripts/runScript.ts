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
  luaScript,
  scriptCommand,
  ScriptReplyError,
  type ScriptReply,
} from './scriptDefinition.js';

const LUA_DIR = new URL('../lua/', import.meta.url);

interface Compiled {
  source: string;
  sha: string;
}
const compiled = new WeakMap<AnyScript, Compiled>();

/**
 * Whole-line comments (the headers, the includes' notes) blanked and indentation dropped:
 * Redis hashes and compiles the text each time a client first sends it, at about a hundred
 * instructions a byte. Lines are kept, so an error's line number still points where it did.
 */
function compactBody(source: string): string {
  let inBlock = false;
  return source
    .split('\n')
    .map((line) => {
      const text = line.trimStart();
      if (inBlock) {
        inBlock = !line.includes(']]');
        return '';
      }
      if (text.startsWith('--[[')) {
        inBlock = !text.includes(']]');
        return '';
      }
      return text.startsWith('--') ? '' : text;
    })
    .join('\n');
}

/** The full Lua text a script runs: the preamble, then its file with includes resolved. */
export function scriptSource(spec: AnyScript): string {
  return luaScript(spec, compactBody(readLuaSource(LUA_DIR, spec.file)));
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

const isNoScript = (error: unknown) => String(error).includes('NOSCRIPT');

/** Per client, the scripts (by sha) it has sent the source of once. */
const sentSource = new WeakMap<RedisClient, Set<string>>();
/** Per client, the EVAL that is putting a script back into Redis's cache right now. */
const reloading = new WeakMap<RedisClient, Map<string, Promise<void>>>();

function perClient<V>(map: WeakMap<RedisClient, V>, client: RedisClient, create: () => V): V {
  let value = map.get(client);
  if (value === undefined) map.set(client, (value = create()));
  return value;
}

/**
 * EVALSHA as a built-in command rather than an ioredis defineCommand: with auto-pipelining on
 * a Cluster, ioredis groups a defined command by its first argument (the key count), so scripts
 * of different queue partitions landed in one pipeline and were refused; a built-in EVALSHA is
 * grouped by its first key.
 *
 * A client's first call of a script sends its source (EVAL), which caches it: the EVALSHAs
 * sent behind it on the same connection find it. On NOSCRIPT (a restarted or failed-over
 * Redis, another cluster node) one call sends the source and the calls refused beside it wait
 * for that, then retry EVALSHA. Without both, a burst of calls on a cold cache made Redis
 * compile the script once per call in flight.
 */
async function send(client: RedisClient, spec: AnyScript, call: CallOf<AnyScript>): Promise<unknown> {
  const { source, sha } = compile(spec);
  const args = scriptCommand(spec, call, sha);
  const command = client.call.bind(client);
  const evalsha = () => command('evalsha', args);
  // A copy with the source in front: rare (a client's first call, a flushed cache).
  const evalSource = () => command('eval', [source, ...args.slice(1)]);
  const sent = perClient(sentSource, client, () => new Set<string>());
  if (!sent.has(sha)) {
    sent.add(sha);
    return evalSource();
  }
  try {
    return await evalsha();
  } catch (error) {
    if (!isNoScript(error)) throw error;
  }
  const inFlight = perClient(reloading, client, () => new Map<string, Promise<void>>());
  const reload = inFlight.get(sha);
  if (reload === undefined) {
    const reply = evalSource();
    const settled = reply.then(
      () => undefined,
      () => undefined,
    );
    inFlight.set(sha, settled);
    void settled.then(() => inFlight.delete(sha));
    return reply;
  }
  await reload;
  try {
    return await evalsha();
  } catch (error) {
    // The reload went to another cluster node: this one still needs the source.
    if (!isNoScript(error)) throw error;
    return evalSource();
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
  const reply = await send(client, spec, call);
  const fail = (expected: string): never => {
    throw new ScriptReplyError(
      `Lua script ${spec.name} (${spec.file}) replied ${describe(reply)}; expected ${expected}`,
    );
  };
  return spec.parseReply(reply, fail) as ScriptReply<S>;
}

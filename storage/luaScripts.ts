/**
 * The one registry of Candela's Lua scripts: each atomic Redis operation is a file in
 * storage/lua, loaded once and sent by EVALSHA (ioredis falls back to EVAL after a
 * restart flushed the script cache). `--- @include "name"` pulls in storage/lua/includes/name.lua.
 */
import { readFileSync } from 'node:fs';
import type { RedisClient } from './redisConnection.js';

const LUA_DIR = new URL('./lua/', import.meta.url);

const SCRIPTS = {
  enqueueJob: { file: 'enqueueJob-6.lua', keys: 6 },
  cancelJob: { file: 'cancelJob-3.lua', keys: 3 },
  appendProgress: { file: 'appendProgress-2.lua', keys: 2 },
  claimJobs: { file: 'claimJobs.lua', keys: undefined },
  finishJobs: { file: 'finishJobs.lua', keys: undefined },
  refreshClaims: { file: 'refreshClaims.lua', keys: undefined },
  retryJob: { file: 'retryJob-5.lua', keys: 5 },
  moveDueRetries: { file: 'moveDueRetries.lua', keys: undefined },
  replayDeadLetter: { file: 'replayDeadLetter-4.lua', keys: 4 },
  trimStream: { file: 'trimStream-1.lua', keys: 1 },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
export type ScriptArg = string | number;

function readLua(file: string): string {
  return readFileSync(new URL(file, LUA_DIR), 'utf8').replace(/^--- @include "([\w-]+)"$/gm, (_line, name: string) =>
    readFileSync(new URL(`includes/${name}.lua`, LUA_DIR), 'utf8'),
  );
}

const loaded = new Map<ScriptName, string>();
function luaSource(name: ScriptName): string {
  let source = loaded.get(name);
  if (source === undefined) {
    source = readLua(SCRIPTS[name].file);
    loaded.set(name, source);
  }
  return source;
}

type ScriptCaller = (...args: ScriptArg[]) => Promise<unknown>;
const defined = new WeakSet<RedisClient>();

function define(client: RedisClient): void {
  if (defined.has(client)) return;
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    const { keys } = SCRIPTS[name];
    client.defineCommand(`candela_${name}`, keys === undefined ? { lua: luaSource(name) } : { lua: luaSource(name), numberOfKeys: keys });
  }
  defined.add(client);
}

/** Runs a script with its KEYS and ARGV; the key count is sent for the variable-key scripts. */
export function runScript(client: RedisClient, name: ScriptName, keys: string[], args: ScriptArg[]): Promise<unknown> {
  define(client);
  const caller = (client as unknown as Record<string, ScriptCaller>)[`candela_${name}`]!;
  return SCRIPTS[name].keys === undefined ? caller.call(client, keys.length, ...keys, ...args) : caller.call(client, ...keys, ...args);
}

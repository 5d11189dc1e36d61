/**
 * Where redis-server's time per job goes, from INFO commandstats: microseconds per job of each
 * command (those run inside scripts included: Redis counts them one by one), the scripts' own
 * work (their `usec` less that of the commands they ran: the Lua interpreter and the
 * conversion of arguments and replies), and what is left of the CPU time once every command
 * is counted (reading requests, writing replies, the event loop). Commandstats times are
 * wall-clock inside each command, so on a busy machine the rows read high and the remainder
 * low; compare systems within one run.
 */
import type { Redis } from 'ioredis';

/** Sent by the benchmark while it watches, not by the system under test. */
const OBSERVER = new Set(['info', 'config', 'xinfo', 'ping', 'client', 'hello', 'select', 'flushall', 'xlen']);
/** Commands that run others inside them: their time includes their commands' time. */
const SCRIPTS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall']);
const TRANSACTIONS = new Set(['multi', 'exec']);

export interface CommandFigure {
  command: string;
  calls_per_job: number;
  us_per_job: number;
}

export interface RedisCpuBreakdown {
  redis_cpu_us_per_job: number;
  /** Commands by time, scripts and transactions apart. */
  commands: CommandFigure[];
  /** Script time less the commands the scripts ran. */
  script_overhead_us_per_job: number;
  /** CPU time not inside any command: request parsing, replies, network I/O. */
  outside_commands_us_per_job: number;
}

interface Stat {
  calls: number;
  usec: number;
}

function commandStats(info: string): Map<string, Stat> {
  const stats = new Map<string, Stat>();
  for (const match of info.matchAll(/^cmdstat_([a-z|_-]+):calls=(\d+),usec=(\d+)/gm)) {
    const command = match[1]!;
    if (!OBSERVER.has(command.split('|')[0]!)) stats.set(command, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * `direct`: the commands the system's clients send themselves (not from a script); every
 * other command is counted as a script's. Reads how Redis was busy since its last RESETSTAT.
 */
export async function redisCpuBreakdown(
  redis: Redis,
  jobs: number,
  redisCpuMicros: number,
  direct: ReadonlySet<string>,
): Promise<RedisCpuBreakdown> {
  const stats = commandStats(await redis.info('commandstats'));
  let scriptUsec = 0;
  let scriptedUsec = 0;
  let directUsec = 0;
  const commands: CommandFigure[] = [];
  for (const [command, { calls, usec }] of stats) {
    if (SCRIPTS.has(command)) scriptUsec += usec;
    else if (TRANSACTIONS.has(command)) continue;
    else {
      if (direct.has(command)) directUsec += usec;
      else scriptedUsec += usec;
      commands.push({ command, calls_per_job: round(calls / jobs), us_per_job: round(usec / jobs) });
    }
  }
  commands.sort((a, b) => b.us_per_job - a.us_per_job);
  // A transaction's own time beyond its commands is too small to tell apart from noise here.
  const insideCommands = scriptUsec + directUsec;
  return {
    redis_cpu_us_per_job: round(redisCpuMicros / jobs),
    commands,
    script_overhead_us_per_job: round((scriptUsec - scriptedUsec) / jobs),
    outside_commands_us_per_job: round((redisCpuMicros - insideCommands) / jobs),
  };
}

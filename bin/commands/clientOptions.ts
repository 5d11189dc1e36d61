/**
 * What the client commands (analyze, status, list, watch) share: reading `--name value` and
 * `--flag` arguments, connecting the typed client (--url or CANDELA_URL, --token or
 * CANDELA_TOKEN, --user for an API with AUTH_MODE=none), and the exit code an API error means.
 */
import { TRPCClientError } from '@trpc/client';
import type { Config } from '../../config/env.js';
import { type CandelaClient, createClient } from '../../router/client.js';
import { UsageError } from '../usageError.js';

/** For scripts: 0 completed, 1 failed (or the API refused), 2 bad input, 130 cancelled or interrupted (128 + SIGINT). */
export const EXIT = { completed: 0, failed: 1, badInput: 2, cancelled: 130 } as const;

export function option(args: readonly string[], name: string, usage: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value\n${usage}`);
  return value;
}

export const flag = (args: readonly string[], name: string) => args.includes(`--${name}`);

/** The arguments that are neither options nor their values. */
export function positionals(args: readonly string[], valued: readonly string[]): string[] {
  const rest: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (valued.includes(arg)) index += 1;
    else if (!arg.startsWith('--')) rest.push(arg);
  }
  return rest;
}

export interface Connection {
  client: CandelaClient;
  /** `{ user_id }` when --user was given (AUTH_MODE=none), else nothing. */
  owner: { user_id?: string };
}

export function connect(config: Config, args: readonly string[], usage: string): Connection {
  const url = option(args, 'url', usage) ?? process.env.CANDELA_URL ?? `http://127.0.0.1:${config.PORT}`;
  const token = option(args, 'token', usage) ?? process.env.CANDELA_TOKEN;
  const user = option(args, 'user', usage);
  return { client: createClient({ url, token }), owner: user ? { user_id: user } : {} };
}

export const CLIENT_OPTIONS = ['--url', '--token', '--user'];

/** A refusal the API gave for the request itself (bad input: exit 2), or anything else (exit 1). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: unknown } | undefined)?.code;
    if (code === 'BAD_REQUEST') return EXIT.badInput;
  }
  return EXIT.failed;
}

/** Prints an API error the way the other commands print theirs and sets the exit code. */
export function reportFailure(error: unknown): void {
  process.stderr.write(`candela: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = exitCodeOf(error);
}

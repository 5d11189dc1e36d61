/**
 * The client commands' test bed: a real API and worker on a private redis-server, with market
 * data from a Binance-format stub (NOSUCHCOIN is an unknown symbol, SLOWCOIN never answers), and
 * `candela` client children started with stdin open, as from a terminal.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { signToken } from '../../router/auth.js';
import { startBinanceStub, type BinanceStub } from './binanceStub.js';
import { CANDELA_BIN, type CandelaProcess, eventually, startCandela, stopCandela } from './candelaProcess.js';
import { freePort, startRedis, type TestRedis } from './redisServer.js';

export interface CliStack {
  redis: TestRedis;
  stub: BinanceStub;
  /** The servers' environment, with CANDELA_TOKEN for `user`: what a client child gets. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startCliStack(
  name: string,
  user: string,
  extraEnv: Record<string, string> = {},
): Promise<CliStack> {
  const [redis, stub] = await Promise.all([startRedis(), startBinanceStub()]);
  stub.setMode('invalid-symbol', 'NOSUCHCOIN');
  stub.setMode('hang', 'SLOWCOIN');
  const secret = `${name}-test-secret`;
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    AUTH_SECRET: secret,
    PORT: String(await freePort()),
    MARKET_DATA_PROVIDER: 'binance',
    BINANCE_BASE_URL: stub.baseUrl,
    DATA_DIR: `/tmp/candela-${name}-${process.pid}`,
    ANALYSIS_WORKER_CONCURRENCY: '2',
    // A job left hanging on SLOWCOIN at the end must not hold up stopping.
    ANALYSIS_SHUTDOWN_GRACE: '1',
    ...extraEnv,
  };
  const servers: CandelaProcess[] = [startCandela(['api'], env), startCandela(['worker'], env)];
  await Promise.all([servers[0]!.waitForOutput(/api listening/), servers[1]!.waitForOutput(/worker started/)]);
  env.CANDELA_TOKEN = await signToken(secret, user);
  return {
    redis,
    stub,
    env,
    async stop() {
      await stopCandela(servers);
      await Promise.all([redis.stop(), stub.close()]);
    },
  };
}

export interface CliChild {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
}

export function runCli(args: string[], env: Record<string, string>): CliChild {
  const child = spawn(process.execPath, [CANDELA_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr: (pattern) =>
      eventually(async () => pattern.exec(stderr) ?? undefined, 30_000, `${pattern} on stderr`).catch(
        (error: Error) => {
          throw new Error(`${error.message} (exit ${child.exitCode ?? child.signalCode ?? 'none'}):\n${stderr}`);
        },
      ),
  };
}

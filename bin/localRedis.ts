/**
 * A private redis-server for the demo, benchmarks and tests: a free loopback port, its own
 * data directory, stopped (and the directory removed) when done. Needs redis-server on PATH
 * (deploy/ensure-redis.sh installs Debian's package).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface LocalRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops the server with the given signal and starts it again on the same port and data directory. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A raw PING over TCP: no client library, so nothing is left behind while the server is still starting. */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await pingOnce(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not answer PING within 10 s');
}

function spawnServer(args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', (error) =>
      reject(
        new Error(
          `could not start redis-server (${error.message}); run deploy/ensure-redis.sh or install Debian's redis-server`,
        ),
      ),
    );
  });
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

export interface LocalRedisOptions {
  appendOnly?: boolean;
  /** Port of a loopback master to replicate (tests of replica acknowledgements). */
  replicaOf?: number;
}

export async function startLocalRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'candela-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ];
  args.push(...(options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']));
  if (options.replicaOf !== undefined) args.push('--replicaof', '127.0.0.1', String(options.replicaOf));
  let child = await spawnServer(args);
  await waitForPing(port, child);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async restart(signal = 'SIGTERM') {
      await kill(child, signal);
      child = await spawnServer(args);
      await waitForPing(port, child);
    },
    async stop() {
      await kill(child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The light client tried as a new user would: pack client/ (built by `npm run build`), install
 * the tarball into an empty TypeScript project from the npm cache, check that it brought only
 * the tRPC client along, type-check strictly with every declaration file checked, and run the
 * program against real API and worker processes: queue, follow progress over WebSocket, read
 * the result.
 */
import { jest } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ApiCluster, startApiCluster } from '../api/apiCluster.js';
import { MAIN_TS, PACKAGE_JSON, TSCONFIG } from './emptyProject.js';

jest.setTimeout(240_000);

const run = promisify(execFile);

/** All the empty project may hold: the client, tRPC, and the compiler and Node types the user installs to use TypeScript. */
const ALLOWED_PACKAGES = [
  '@candela/client',
  '@trpc/client',
  '@trpc/server',
  'typescript',
  '@types/node',
  'undici-types',
].sort();
const SERVER_PACKAGES = ['ioredis', 'nact', 'openai', '@napi-rs/canvas', 'mongodb', 'ws', 'pino', 'zod', 'jose'];

const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(path.resolve('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** Every package folder under node_modules, scoped ones as `@scope/name`. */
function installedPackages(modules: string): string[] {
  return readdirSync(modules)
    .filter((entry) => !entry.startsWith('.'))
    .flatMap((entry) =>
      entry.startsWith('@') ? readdirSync(path.join(modules, entry)).map((name) => `${entry}/${name}`) : [entry],
    )
    .sort();
}

let folder: string;
let app: string;
let tarballFiles: string[];

beforeAll(() => {
  if (!existsSync('client/dist/index.d.ts'))
    throw new Error("client/dist is missing: run 'npm run build' first (make test does)");
  folder = mkdtempSync(path.join(tmpdir(), 'candela-client-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', folder], { cwd: 'client', encoding: 'utf8' }),
  ) as [{ filename: string; files: { path: string }[] }];
  tarballFiles = packed[0].files.map((file) => file.path).sort();
  app = path.join(folder, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), PACKAGE_JSON);
  writeFileSync(path.join(app, 'tsconfig.json'), TSCONFIG);
  writeFileSync(path.join(app, 'main.ts'), MAIN_TS);
  // --prefer-offline: the registry is reachable, but the cache from this checkout's npm ci already has these versions.
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      path.join(folder, packed[0].filename),
      `typescript@${versionOf('typescript')}`,
      `@types/node@${versionOf('@types/node')}`,
    ],
    { cwd: app, stdio: 'pipe' },
  );
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('the tarball holds the built client only, and installing it brings tRPC and nothing of the server', () => {
  expect(tarballFiles).toEqual(['dist/index.d.ts', 'dist/index.js', 'package.json']);
  const installed = installedPackages(path.join(app, 'node_modules'));
  for (const server of SERVER_PACKAGES) expect(installed).not.toContain(server);
  expect(installed).toEqual(ALLOWED_PACKAGES);
});

test('tsc --strict with skipLibCheck false compiles the program against the installed declarations', () => {
  let output: string;
  try {
    output = execFileSync(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', app], {
      encoding: 'utf8',
    });
  } catch (error) {
    const failed = error as { stdout?: string };
    throw new Error(`tsc failed:\n${failed.stdout ?? String(error)}`, { cause: error });
  }
  expect(output).toBe('');
  expect(existsSync(path.join(app, 'out/main.js'))).toBe(true);
});

describe('against a real API and worker', () => {
  let cluster: ApiCluster;

  beforeAll(async () => {
    cluster = await startApiCluster({ workers: 1 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('the program queues an analysis, follows its progress over WebSocket to completed and reads the record', async () => {
    const program = path.join(app, 'out/main.js');
    if (!existsSync(program))
      execFileSync(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', app]);
    // Node 22 has a global WebSocket; Node 20 has it behind this flag, and the client uses no other.
    const flags = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket'] : [];
    const { stdout } = await run(
      process.execPath,
      [...flags, '--no-warnings', program, cluster.apis[0]!, await cluster.token('alice')],
      { cwd: app, timeout: 120_000 },
    );
    const lines = stdout.trim().split('\n');
    const progress = lines.filter((line) => line.startsWith('progress '));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatch(/^progress completed \S+ 100%$/);
    const record = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(record).toEqual({
      ended: 'completed',
      analysis_id: expect.stringMatching(/^analysis_/),
      status: 'completed',
      has_summary: true,
    });
  });
});

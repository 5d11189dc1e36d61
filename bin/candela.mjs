#!/usr/bin/env node
// The `candela` bin: committed as plain JavaScript so it exists in a fresh checkout before any
// build. `npx candela` there links the checkout into npx's cache and wires the bin only if its
// file exists at that moment; with the compiled file as the bin, a first try before
// `npm run build` left a bin-less copy behind for good ("candela: not found"). This launcher
// runs dist/bin/candela.js, building it first when the checkout has the tools to, or says what
// to run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'bin', 'candela.js');
const lock = path.join(root, 'dist', '.building');
const STALE_LOCK_MS = 10 * 60_000;

function say(message) {
  process.stderr.write(`candela: ${message}\n`);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One build at a time: `npx candela worker & npx candela api &` both start here. */
function buildOnce() {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > STALE_LOCK_MS)
        rmSync(lock, { recursive: true, force: true });
      else sleep(500);
      if (existsSync(built) && !existsSync(lock)) return true;
    }
  }
  try {
    if (existsSync(built)) return true;
    say('first run in this checkout: building dist/ with `npm run build` (once)…');
    // The build's output goes to stderr, so stdout stays what the command prints (--json, a token).
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
    return build.status === 0 && existsSync(built);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (!existsSync(built)) {
  const canBuild =
    existsSync(path.join(root, 'tsconfig.build.json')) && existsSync(path.join(root, 'node_modules', 'typescript'));
  if (!canBuild) {
    say(`${built} is missing; in ${root} run: npm ci && npm run build`);
    process.exit(1);
  }
  if (!buildOnce()) {
    say(`the build failed (see above); fix it, then run: npm run build (in ${root})`);
    process.exit(1);
  }
}

await import(pathToFileURL(built).href);

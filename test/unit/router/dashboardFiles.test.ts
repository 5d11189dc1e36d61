/** The dashboard's static files: only what was on disk at start is served, index.html with its CSP, nothing else reaches the file system. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadDashboardFiles } from '../../../router/dashboard/dashboardFiles.js';

let dir: string;
let server: http.Server;
let base: string;

async function serve(root: string): Promise<void> {
  const files = loadDashboardFiles(root);
  server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://test');
    if (!files.serve(req.method ?? 'GET', pathname, res)) res.writeHead(404).end('fell through');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'candela-dashboard-'));
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test('serves index.html at / with its CSP, hashed assets as immutable, and nothing else', async () => {
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dir, '..', `secret-${path.basename(dir)}.txt`), 'secret');
  await serve(dir);

  const index = await fetch(`${base}/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(index.headers.get('cache-control')).toBe('no-cache');
  expect(await index.text()).toContain('<title>x</title>');

  const script = await fetch(`${base}/assets/index-abc.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(script.headers.get('cache-control')).toContain('immutable');

  // A file written after start, paths out of the folder and other methods are not the dashboard's.
  writeFileSync(path.join(dir, 'assets', 'late.js'), 'late');
  for (const target of ['/assets/late.js', `/assets/../../secret-${path.basename(dir)}.txt`, '/assets'])
    expect(await (await fetch(`${base}${target}`)).text()).toBe('fell through');
  expect((await fetch(`${base}/`, { method: 'POST', body: '' })).status).toBe(404);
  rmSync(path.join(dir, '..', `secret-${path.basename(dir)}.txt`));
});

test('an unbuilt dashboard answers / with how to build it', async () => {
  await serve(dir);
  const response = await fetch(`${base}/`);
  expect(response.status).toBe(404);
  expect(await response.text()).toContain('npm run build');
});

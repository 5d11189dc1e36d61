/**
 * The browser dashboard's built files (vite writes them to dist/dashboard at `npm run build`),
 * read into memory once when the API starts: a few small files, and only names found on disk
 * at start can ever be served, so no request path reaches the file system. Written here rather
 * than with a static-file library because it is this small.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** From dist/router/dashboard/ (compiled) to dist/dashboard/. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Everything the page needs comes from this origin; charts are same-origin PNGs, the API a same-origin WebSocket. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

interface DashboardFile {
  body: Buffer;
  contentType: string;
  /** Hashed asset names never change content, so browsers may keep them; index.html is always revalidated. */
  immutable: boolean;
}

export interface DashboardFiles {
  /** True when this request is for the dashboard (GET or HEAD of `/` or a built asset); it has then been answered. */
  serve(method: string, pathname: string, res: ServerResponse): boolean;
}

function listFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(root, relative) : [relative];
  });
}

export function loadDashboardFiles(dir: string = DASHBOARD_DIR): DashboardFiles {
  const files = new Map<string, DashboardFile>();
  if (existsSync(path.join(dir, 'index.html')))
    for (const name of listFiles(dir))
      files.set(`/${name}`, {
        body: readFileSync(path.join(dir, name)),
        contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
        immutable: name.startsWith('assets/'),
      });
  const index = files.get('/index.html');

  return {
    serve(method, pathname, res) {
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (pathname === '/' && !index) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('the dashboard is not built: run `npm run build`\n');
        return true;
      }
      const file = pathname === '/' ? index : files.get(pathname);
      if (!file) return false;
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': file.body.length,
        'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
        ...(file === index
          ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' }
          : {}),
      });
      res.end(method === 'HEAD' ? undefined : file.body);
      return true;
    },
  };
}

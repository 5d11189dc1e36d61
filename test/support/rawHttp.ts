/**
 * HTTP/1.1 over a bare socket: the request goes out byte for byte (no path normalization,
 * no header validation), so tests can send what a browser or fetch would refuse to.
 * An event stream is answered as soon as its headers arrive, then the socket is closed.
 */
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent as it is: `../`, `%2e%2e` and raw bytes reach the server unchanged. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STREAM_EVENTS = 2;
const STREAM_WAIT_MS = 500;

/** The HTTP status a tRPC event stream really answered: a `serialized-error` event carries it; otherwise the status line's. */
export function effectiveStatus(response: RawResponse): number {
  const error = /event: serialized-error\ndata: (.*)\n/.exec(response.body);
  if (!error) return response.status;
  try {
    return (JSON.parse(error[1]!) as { data?: { httpStatus?: number } }).data?.httpStatus ?? 500;
  } catch {
    return 500;
  }
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers };
}

/** Removes chunked transfer framing; good enough for the JSON error bodies tests read. */
function unchunk(body: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Node answers a head past its limit (16 KB) with 431 and closes; a client still writing then gets a reset and may lose the answer. */
export const NODE_MAX_HEAD_BYTES = 16 * 1024;

export class ConnectionClosed extends Error {
  override readonly name = 'ConnectionClosed';
  constructor(
    message: string,
    readonly headBytes: number,
    readonly socketError: Error | undefined,
  ) {
    super(message);
  }
}

export function rawRequest(base: string, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const url = new URL(base);
  const body =
    request.body === undefined
      ? undefined
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = { host: url.host, connection: 'close', ...request.headers };
  if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(
          new ConnectionClosed(
            `${request.method} ${request.path.slice(0, 200)}: connection closed without a response (${all.length} bytes)${error ? `: ${error.message}` : ''}`,
            Buffer.byteLength(head),
            error,
          ),
        );
        return;
      }
      const parsed = parseHead(all.subarray(0, split).toString('latin1'));
      const rest = all.subarray(split + 4);
      resolve({
        ...parsed,
        body: parsed.headers['transfer-encoding'] === 'chunked' ? unchunk(rest) : rest.toString('utf8'),
      });
    };
    const timer = setTimeout(
      () => finish(new Error(`${request.method} ${request.path.slice(0, 200)}: no response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    let streamTimer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split < 0 || !/content-type:\s*text\/event-stream/i.test(all.subarray(0, split).toString('latin1'))) return;
      // A stream is judged by its first events (tRPC sends `connected`, then the data or a serialized error);
      // the rest would only wait for the job.
      const events =
        all
          .subarray(split + 4)
          .toString('utf8')
          .split('\n\n').length - 1;
      if (events >= STREAM_EVENTS) finish();
      else streamTimer ??= setTimeout(() => finish(), STREAM_WAIT_MS);
    });
    socket.once('close', () => clearTimeout(streamTimer));
    let socketError: Error | undefined;
    socket.on('end', () => finish());
    // The server may answer and close before it read the whole body (413, 431): a write then fails
    // with EPIPE or ECONNRESET, but the answer it sent still counts, so only 'close' decides.
    socket.on('close', () => finish(socketError));
    socket.on('error', (error) => {
      socketError = error;
    });
    socket.write(head);
    if (body !== undefined) socket.write(body);
  });
}

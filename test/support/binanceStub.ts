/**
 * A local HTTP server speaking Binance's REST klines format (GET /api/v3/klines), which a
 * test tells to fail, hang or recover, per symbol or for every symbol. Real sockets on
 * loopback: the worker under test uses its real Binance source against BINANCE_BASE_URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Interval, intervalMs } from '../../analysis/intervals.js';

/** ok | HTTP 500 | HTTP 429 with Retry-After | never answer | HTTP 400 code -1121 (unknown symbol). */
export type BinanceMode = 'ok' | 'error-500' | 'rate-limited' | 'hang' | 'invalid-symbol';

export interface BinanceRequest {
  at: number;
  symbol: string;
  mode: BinanceMode;
}

export interface BinanceStub {
  baseUrl: string;
  /** Mode for one symbol, or for all symbols without one of their own. */
  setMode(mode: BinanceMode, symbol?: string): void;
  /** The next `count` requests for the symbol get `mode`, then its usual mode again. */
  failNext(symbol: string, count: number, mode: BinanceMode): void;
  requests(symbol?: string): BinanceRequest[];
  close(): Promise<void>;
}

function klines(url: URL): unknown[][] {
  const step = intervalMs((url.searchParams.get('interval') ?? '1h') as Interval);
  const start = Number(url.searchParams.get('startTime'));
  const end = Number(url.searchParams.get('endTime'));
  const limit = Number(url.searchParams.get('limit') ?? 500);
  const rows: unknown[][] = [];
  for (let time = start; time <= end && rows.length < limit; time += step) {
    // A deterministic wave with a drift: enough shape for indicators and patterns.
    const base = 100 + 10 * Math.sin(time / step / 9) + ((time / step) % 50) / 10;
    const open = base;
    const close = base + Math.sin(time / step) * 1.5;
    const high = Math.max(open, close) + 0.8;
    const low = Math.min(open, close) - 0.8;
    rows.push([
      time,
      open.toFixed(2),
      high.toFixed(2),
      low.toFixed(2),
      close.toFixed(2),
      '1000.0',
      time + step - 1,
      '100000.0',
      10,
      '500.0',
      '50000.0',
      '0',
    ]);
  }
  return rows;
}

export async function startBinanceStub(): Promise<BinanceStub> {
  let defaultMode: BinanceMode = 'ok';
  const modes = new Map<string, BinanceMode>();
  const scripted = new Map<string, BinanceMode[]>();
  const seen: BinanceRequest[] = [];

  const modeFor = (symbol: string): BinanceMode => scripted.get(symbol)?.shift() ?? modes.get(symbol) ?? defaultMode;
  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (url.pathname !== '/api/v3/klines') return json(response, 404, { code: -1, msg: 'not found' });
    const symbol = url.searchParams.get('symbol') ?? '';
    const mode = modeFor(symbol);
    seen.push({ at: Date.now(), symbol, mode });
    switch (mode) {
      case 'ok':
        return json(response, 200, klines(url));
      case 'error-500':
        return json(response, 500, { code: -1000, msg: 'An unknown error occurred while processing the request.' });
      case 'rate-limited':
        return json(response, 429, { code: -1003, msg: 'Too many requests.' }, { 'retry-after': '1' });
      case 'invalid-symbol':
        return json(response, 400, { code: -1121, msg: 'Invalid symbol.' });
      case 'hang':
        return; // never answers; close() ends the socket
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    setMode(mode, symbol) {
      if (symbol === undefined) defaultMode = mode;
      else modes.set(symbol, mode);
    },
    failNext(symbol, count, mode) {
      scripted.set(symbol, [...(scripted.get(symbol) ?? []), ...Array.from({ length: count }, () => mode)]);
    },
    requests: (symbol) => seen.filter((request) => symbol === undefined || request.symbol === symbol),
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

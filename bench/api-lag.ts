/**
 * The API's event-loop delay while immediate analyses run: 20 analyses of 1,000 candles at
 * once, three rounds, read from the node's own /metrics (event-loop delay since the previous
 * scrape). Starts its own redis-server and API process (compiled: `npm run build` first).
 * Target: p99 within 20 ms. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signToken } from '../router/auth.js';
import { startCandela, stopCandela } from '../test/support/candelaProcess.js';
import { freePort, startRedis } from '../test/support/redisServer.js';

const CONCURRENT = 20;
const ROUNDS = 3;
const SECRET = 'bench-secret-0123456789abcdef';

async function loopDelay(api: string): Promise<{ p50: number; p99: number; max: number }> {
  const text = await (await fetch(`${api}/metrics`)).text();
  const read = (quantile: string) =>
    Number(new RegExp(`candela_event_loop_delay_seconds\\{quantile="${quantile}"\\} ([0-9.e+-]+)`).exec(text)![1]) *
    1000;
  return { p50: read('0.5'), p99: read('0.99'), max: read('1') };
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-bench-lag-'));
  const port = await freePort();
  const api = startCandela(['api'], {
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    DATA_DIR: dataDir,
    MARKET_DATA_PROVIDER: 'synthetic',
    PORT: String(port),
  });
  try {
    await api.waitForOutput(/api listening/);
    const url = `http://127.0.0.1:${port}`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await signToken(SECRET, 'bench')}` };
    const run = () =>
      Promise.all(
        Array.from({ length: CONCURRENT }, (_, index) =>
          fetch(`${url}/analyze-immediate/SYM${index}USDT/1h`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ timeframe: '1000h' }),
          }).then((response) => response.status),
        ),
      );
    await run(); // warm-up: threads load the analysis modules and the font
    const rounds: { p50: number; p99: number; max: number; wall_ms: number }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      await loopDelay(url);
      const started = Date.now();
      const statuses = await run();
      if (statuses.some((status) => status !== 200))
        throw new Error(`immediate analyses answered ${statuses.join(',')}`);
      rounds.push({ ...(await loopDelay(url)), wall_ms: Date.now() - started });
    }
    const round2 = (value: number) => Math.round(value * 100) / 100;
    console.log(
      JSON.stringify({
        bench: 'api-lag',
        concurrent_immediate: CONCURRENT,
        candles: 1000,
        rounds: ROUNDS,
        event_loop_delay_ms: {
          p50: round2(Math.max(...rounds.map((r) => r.p50))),
          p99: round2(Math.max(...rounds.map((r) => r.p99))),
          max: round2(Math.max(...rounds.map((r) => r.max))),
        },
        target_p99_ms: 20,
        round_wall_ms: rounds.map((r) => r.wall_ms),
        threads: 2,
      }),
    );
  } finally {
    await stopCandela([api]);
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

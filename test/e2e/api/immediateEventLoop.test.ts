/**
 * Immediate analyses run in the API's thread pool, never on its event loop: while 20 of them
 * (1,000 candles each) run at once, the API keeps answering and its event-loop delay stays
 * small. The bound here is generous (a loaded CI machine); the real target is bench:api-lag.
 */
import { type ApiCluster, bearer, startApiCluster } from './apiCluster.js';

let cluster: ApiCluster;

beforeAll(async () => {
  cluster = await startApiCluster();
});
afterAll(() => cluster.stop());

async function loopDelaySinceLastScrape(api: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${api}/metrics`)).text();
  const read = (quantile: string) =>
    Number(new RegExp(`candela_event_loop_delay_seconds\\{quantile="${quantile}"\\} ([0-9.e+-]+)`).exec(text)![1]);
  return { p99: read('0.99') * 1000, max: read('1') * 1000 };
}

test('20 immediate analyses of 1,000 candles at once leave the event loop responsive', async () => {
  const api = cluster.apis[0]!;
  const headers = { 'content-type': 'application/json', ...bearer(await cluster.token('alice')) };
  await loopDelaySinceLastScrape(api); // resets the histogram: what follows measures the load only
  let healthChecks = 0;
  let loading = true;
  const prober = (async () => {
    while (loading) {
      if ((await fetch(`${api}/health`)).ok) healthChecks += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'ADAUSDT', 'XRPUSDT'];
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      fetch(`${api}/analyze-immediate/${symbols[index % symbols.length]}/1h`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ timeframe: '1000h' }),
      }),
    ),
  );
  loading = false;
  await prober;
  const delay = await loopDelaySinceLastScrape(api);
  for (const response of responses) expect(response.status).toBe(200);
  const bodies = (await Promise.all(responses.map((response) => response.json()))) as {
    analysis_data: { candle_count: number };
  }[];
  for (const body of bodies) expect(body.analysis_data.candle_count).toBe(1000);
  expect(healthChecks).toBeGreaterThan(0);
  expect(delay.p99).toBeLessThan(250);
});

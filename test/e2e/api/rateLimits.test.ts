/**
 * A client flooding past its per-token limit does not slow another client (measured): the
 * flooder runs in its own process against a real API process, and the calm client's
 * latency during the flood stays near its latency alone.
 */
import { spawn } from 'node:child_process';
import { type ApiCluster, bearer, startApiCluster } from './apiCluster.js';

let cluster: ApiCluster;
beforeAll(async () => {
  cluster = await startApiCluster({ env: { API_RATE_LIMIT_PER_TOKEN: '5' } });
});
afterAll(() => cluster.stop());

const FLOODER = `
let refused = 0, total = 0;
const run = async () => {
  for (;;) {
    const replies = await Promise.all(Array.from({ length: 20 }, () => fetch(process.env.URL, { headers: { authorization: 'Bearer ' + process.env.TOKEN } }).then((r) => r.arrayBuffer().then(() => r.status), () => 0)));
    total += replies.length;
    refused += replies.filter((status) => status === 429).length;
  }
};
process.on('SIGTERM', () => { process.stdout.write(JSON.stringify({ total, refused })); process.exit(0); });
run();
`;

async function calmLatencies(url: string, token: string): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < 5; index += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: bearer(token) });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 200)); // stays within its own limit
  }
  return times;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

test('a client over its limit gets 429s and another client keeps its latency', async () => {
  const api = cluster.apis[0]!;
  const [flooderToken, calmToken] = await Promise.all([cluster.token('flooder'), cluster.token('calm')]);
  const url = `${api}/trpc/analysis.list`;
  const alone = await calmLatencies(url, calmToken);
  const flooder = spawn(process.execPath, ['-e', FLOODER], {
    env: { ...process.env, URL: url, TOKEN: flooderToken },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  flooder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => flooder.once('exit', resolve));
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = await calmLatencies(url, calmToken);
    flooder.kill('SIGTERM');
    await exited;
    const flood = JSON.parse(output) as { total: number; refused: number };
    expect(flood.refused).toBeGreaterThan(flood.total / 2);
    process.stdout.write(
      `${JSON.stringify({ calm_median_alone_ms: median(alone), calm_median_during_flood_ms: median(during), flood_requests: flood.total, flood_refused: flood.refused })}\n`,
    );
    expect(median(during)).toBeLessThan(median(alone) * 3 + 100);
  } finally {
    if (flooder.exitCode === null) flooder.kill('SIGKILL');
  }
});

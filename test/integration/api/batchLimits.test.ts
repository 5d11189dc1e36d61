/** One HTTP request cannot ask for unbounded work: batches are capped, and batched list calls share one row budget. */
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

let api: InProcessApi;
let base: string;
let headers: Record<string, string>;
beforeAll(async () => {
  api = await startInProcessApi({ API_MAX_BATCH_SIZE: '10', API_MAX_ROWS_PER_REQUEST: '200' });
  base = await api.serve();
  headers = { authorization: `Bearer ${await api.token('alice')}` };
});
afterAll(() => api.stop());

const batchedList = (calls: number, limit: number) => {
  const paths = Array.from({ length: calls }, () => 'analysis.list').join(',');
  const input = Object.fromEntries(Array.from({ length: calls }, (_, index) => [String(index), { limit }]));
  return fetch(`${base}/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, { headers });
};

test('a batch of more calls than API_MAX_BATCH_SIZE is refused whole', async () => {
  const response = await batchedList(200, 20);
  expect(response.status).toBe(400);
  expect(JSON.stringify(await response.json())).toMatch(/Batch call exceeds maximum size/);
  expect((await batchedList(10, 20)).status).toBe(200);
});

test('batched list calls share API_MAX_ROWS_PER_REQUEST: the calls past it are refused before they read', async () => {
  const response = await batchedList(10, 100);
  const results = (await response.json()) as { result?: unknown; error?: { data: { code: string } } }[];
  expect(results.filter((result) => result.result !== undefined)).toHaveLength(2);
  expect(results.filter((result) => result.error?.data.code === 'PAYLOAD_TOO_LARGE')).toHaveLength(8);
  // The next request has its own budget.
  expect((await batchedList(2, 100)).status).toBe(200);
});

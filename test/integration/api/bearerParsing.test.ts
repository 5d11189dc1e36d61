/** A hostile Authorization value in the HTTP query's connectionParams is refused at once, and the server keeps answering others. */
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

let api: InProcessApi;
let base: string;
beforeAll(async () => {
  api = await startInProcessApi();
  base = await api.serve();
});
afterAll(() => api.stop());

test('"Bearer" + 15,000 spaces + "\\n\\n" in connectionParams is answered fast with 401', async () => {
  // Spaces as '+' keep the URL under Node's 16 KB header limit; the JSON escapes decode to two newlines.
  const params = `%7B%22authorization%22%3A%22Bearer${'+'.repeat(15_000)}%5Cn%5Cn%22%7D`;
  expect((await fetch(`${base}/trpc/analysis.list`)).status).toBe(401); // warm: the first request compiles the path
  const started = performance.now();
  const response = await fetch(`${base}/trpc/analysis.list?connectionParams=${params}`);
  const elapsed = performance.now() - started;
  expect(response.status).toBe(401);
  // The backtracking regex took 1.5 s here; a single pass is a few ms, with room for a loaded machine.
  expect(elapsed).toBeLessThan(400);
});

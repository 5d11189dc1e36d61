/** The LLM path with the real `openai` client against a local Chat Completions server. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { buildSummaryFacts } from '../../../analysis/summary/summaryFacts.js';
import { PermanentFailure, RetryableFailure } from '../../../storage/failures.js';
import { createLlmSummarizer } from '../../../integrations/llm/llmSummarizer.js';
import { pathCandles, seriesOf } from '../../unit/analysis/candleBuilders.js';

type Handler = (
  body: { model: string; messages: { role: string; content: string }[] },
  response: ServerResponse,
) => void;
let handler: Handler;
let server: Server;
let baseURL: string;
let calls = 0;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    calls += 1;
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      expect(request.url).toBe('/v1/chat/completions');
      handler(JSON.parse(text), response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  calls = 0;
});

const series = seriesOf(pathCandles([100, 106, 102, 106.2, 100]));
const facts = buildSummaryFacts(series, analyzeSeries(series));
const config = () => ({ OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: undefined, OPENAI_MODEL: 'local-test-model' });
const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

function completion(content: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'local-test-model',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

test('no key and no base URL: no summarizer', () => {
  expect(
    createLlmSummarizer({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_MODEL: 'x' }),
  ).toBeUndefined();
});

test('success: sends the facts with the only-these-facts instruction and returns the text', async () => {
  let seen: Parameters<Handler>[0] | undefined;
  handler = (body, response) => {
    seen = body;
    json(response, 200, completion('  TESTUSD fell after a double top.  '));
  };
  const text = await createLlmSummarizer(config())!.summarize(facts, new AbortController().signal);
  expect(text).toBe('TESTUSD fell after a double top.');
  expect(seen?.model).toBe('local-test-model');
  expect(seen?.messages[0]).toEqual({ role: 'system', content: expect.stringMatching(/only the facts/) });
  expect(seen?.messages[1]?.content).toContain(JSON.stringify(facts, null, 2));
});

test('timeout: a server that never answers is a retryable failure', async () => {
  handler = () => undefined;
  const summarizer = createLlmSummarizer(config(), { timeoutMs: 200, maxRetries: 0 })!;
  const failure = await summarizer.summarize(facts, new AbortController().signal).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(RetryableFailure);
  expect((failure as Error).message).toMatch(/did not answer within 200 ms/);
});

test('5xx: retryable, after the configured retries', async () => {
  handler = (_body, response) =>
    json(response, 503, { error: { message: 'overloaded', type: 'server_error' } }, { 'retry-after-ms': '10' });
  const failure = await createLlmSummarizer(config(), { maxRetries: 1 })!
    .summarize(facts, new AbortController().signal)
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(RetryableFailure);
  expect((failure as Error).message).toMatch(/HTTP 503/);
  expect(calls).toBe(2);
});

test('401: permanent, pointing at the key', async () => {
  handler = (_body, response) => json(response, 401, { error: { message: 'bad key', type: 'invalid_request_error' } });
  const failure = await createLlmSummarizer(config(), { maxRetries: 0 })!
    .summarize(facts, new AbortController().signal)
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(PermanentFailure);
  expect((failure as Error).message).toMatch(/OPENAI_API_KEY/);
});

test('an empty answer is a failure, so the caller falls back', async () => {
  handler = (_body, response) => json(response, 200, completion(''));
  await expect(createLlmSummarizer(config())!.summarize(facts, new AbortController().signal)).rejects.toBeInstanceOf(
    PermanentFailure,
  );
});

test("abort: the job's signal ends the request at once with its reason", async () => {
  handler = () => undefined;
  const controller = new AbortController();
  const summarizing = createLlmSummarizer(config(), { timeoutMs: 30_000, maxRetries: 0 })!.summarize(
    facts,
    controller.signal,
  );
  setTimeout(() => controller.abort(new Error('job cancelled')), 50);
  await expect(summarizing).rejects.toThrow('job cancelled');
});

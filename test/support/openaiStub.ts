/**
 * A local HTTP server speaking OpenAI's Chat Completions format (POST /v1/chat/completions),
 * which a test tells to answer, fail or hang. Workers reach it through OPENAI_BASE_URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OpenAiMode = 'ok' | 'error-500' | 'hang';

export interface OpenAiStub {
  /** Ends in /v1, as OPENAI_BASE_URL does. */
  baseUrl: string;
  setMode(mode: OpenAiMode): void;
  /** Times (epoch ms) of the requests received, hanging ones included. */
  requests(): number[];
  /** Requests whose client went away before an answer (an aborted call). */
  abortedRequests(): number;
  close(): Promise<void>;
}

const completion = (content: string) => ({
  id: 'chatcmpl-stub',
  object: 'chat.completion',
  created: Math.floor(Date.now() / 1000),
  model: 'stub-model',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

export async function startOpenAiStub(): Promise<OpenAiStub> {
  let mode: OpenAiMode = 'ok';
  const seen: number[] = [];
  let aborted = 0;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      if (request.url !== '/v1/chat/completions') return response.writeHead(404).end();
      seen.push(Date.now());
      const json = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (mode === 'ok') return json(200, completion('A summary written by the stub LLM.'));
      if (mode === 'error-500') return json(500, { error: { message: 'stub failure', type: 'server_error' } });
      response.on('close', () => {
        if (!response.writableEnded) aborted += 1;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    setMode: (next) => (mode = next),
    requests: () => [...seen],
    abortedRequests: () => aborted,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

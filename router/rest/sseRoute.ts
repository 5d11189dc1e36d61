/**
 * GET /analyze-stream/{symbol}/{interval}?user_id=&timeframe=: queues the analysis, then
 * streams its progress as server-sent events (`data: {...}`): queued (with analysis_id),
 * processing stages, then completed (with data), failed or cancelled, and the stream ends.
 * Both steps are procedure calls (analysis.queue, analysis.progress).
 */
import { isTrackedEnvelope } from '@trpc/server';
import type { ProgressEvent } from '../../storage/progressEvent.js';
import { forwardInput, type ProcedureInputs } from './procedureInput.js';
import type { RestRequest } from './restRequest.js';

const KEEPALIVE_MS = 15_000;

export async function streamAnalysis({
  res,
  params: [symbol, interval],
  query,
  caller,
  signal,
}: RestRequest): Promise<void> {
  const userId = query.get('user_id') ?? undefined;
  const queued = await caller.analysis.queue(
    forwardInput<ProcedureInputs['analysis']['queue']>({
      symbol,
      interval,
      timeframe: query.get('timeframe') ?? undefined,
      user_id: userId,
      idempotency_key: undefined,
    }),
  );
  // Ownership is checked here, and the subscription limit by taking the first event, before the first byte of the stream is written.
  const events = (
    await caller.analysis.progress(
      forwardInput<ProcedureInputs['analysis']['progress']>({
        analysis_id: queued.analysis_id,
        user_id: userId,
        lastEventId: undefined,
      }),
    )
  )[Symbol.asyncIterator]();
  const first = await events.next();

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  try {
    for (let next = first; !next.done; next = await events.next()) {
      const item = next.value;
      if (signal.aborted) break;
      if (!isTrackedEnvelope<ProgressEvent>(item)) continue;
      const [eventId, event] = item;
      const ok = res.write(
        `id: ${eventId}\ndata: ${JSON.stringify({ analysis_id: queued.analysis_id, ...event })}\n\n`,
      );
      // A slow reader holds the generator here; meanwhile its mailbox coalesces, so memory stays bounded.
      if (!ok) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  } finally {
    await events.return?.();
    clearInterval(keepalive);
    res.end();
  }
}

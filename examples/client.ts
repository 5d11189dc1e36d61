/**
 * The typed client, end to end: queue an analysis, follow its progress live over WebSocket,
 * then read the finished record. Run against a running API (after `npm run build`):
 *
 *   CANDELA_URL=http://127.0.0.1:8000 CANDELA_TOKEN=$(npx candela token alice) npx tsx examples/client.ts
 */
import { createClient } from 'candela';

const { api, close } = createClient({
  url: process.env.CANDELA_URL ?? 'http://127.0.0.1:8000',
  token: process.env.CANDELA_TOKEN,
});

try {
  const queued = await api.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });
  console.log(`queued ${queued.analysis_id}`);

  await new Promise<void>((resolve, reject) => {
    api.analysis.progress.subscribe(
      { analysis_id: queued.analysis_id },
      {
        onData: ({ data: event }) =>
          console.log(`${Math.round(event.progress * 100)}% ${event.status} ${event.stage}: ${event.message}`),
        onComplete: resolve, // the server ends the subscription after the terminal event
        onError: reject,
      },
    );
  });

  const job = await api.analysis.status.query({ analysis_id: queued.analysis_id });
  console.log(`${job.status}: ${job.llm_summary?.split('\n')[0] ?? ''}`);
  console.log(`chart: ${job.image_url}`);
} finally {
  close();
}

/** Follows one analysis over the progress subscription, printing each stage, and returns its final record. */
import type { CandelaClient } from '../../router/client.js';

type JobRecord = Awaited<ReturnType<CandelaClient['api']['analysis']['status']['query']>>;

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export async function followAnalysis(
  client: CandelaClient,
  analysisId: string,
  label: string,
  say: (line: string) => void,
): Promise<JobRecord> {
  await new Promise<void>((resolve, reject) => {
    const subscription = client.api.analysis.progress.subscribe(
      { analysis_id: analysisId },
      {
        onData: ({ data }) => {
          say(
            `  ${label.padEnd(12)} ${String(Math.round(data.progress * 100)).padStart(3)}%  ${data.stage.padEnd(9)} ${data.message}`,
          );
          if (TERMINAL.has(data.status)) {
            subscription.unsubscribe();
            resolve();
          }
        },
        onError: reject,
        onComplete: resolve,
      },
    );
  });
  return client.api.analysis.status.query({ analysis_id: analysisId });
}

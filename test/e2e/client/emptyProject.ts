/**
 * The files a new user writes to try the client: a package.json, a strict tsconfig that also
 * checks every declaration file it reaches (skipLibCheck false), and a program that queues an
 * analysis, follows its progress over WebSocket to the end and reads the result.
 */
export const PACKAGE_JSON = JSON.stringify({ name: 'try-candela', private: true, type: 'module' }, null, 2);

export const TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      types: ['node'],
      outDir: 'out',
    },
    include: ['main.ts'],
  },
  null,
  2,
);

/** Prints one `progress …` line per event and, last, the final record as JSON. */
export const MAIN_TS = `import { createClient, type Outputs } from '@candela/client';

const [url, token] = process.argv.slice(2);
if (!url || !token) throw new Error('usage: node out/main.js URL TOKEN');
const { api, close } = createClient({ url, token });

const queued = await api.analysis.queue.mutate({ symbol: 'BTCUSDT', interval: '1h', timeframe: '2d' });
const ended = await new Promise<string>((resolve, reject) => {
  const subscription = api.analysis.progress.subscribe(
    { analysis_id: queued.analysis_id, lastEventId: null },
    {
      onData: ({ data }) => {
        console.log(\`progress \${data.status} \${data.stage} \${Math.round(data.progress * 100)}%\`);
        if (data.status === 'completed' || data.status === 'failed' || data.status === 'cancelled') {
          subscription.unsubscribe();
          resolve(data.status);
        }
      },
      onError: reject,
    },
  );
});
const record: Outputs['analysis']['status'] = await api.analysis.status.query({ analysis_id: queued.analysis_id });
console.log(JSON.stringify({ ended, analysis_id: record.analysis_id, status: record.status, has_summary: Boolean(record.llm_summary) }));
close();
`;

/** examples/client.ts (the README example in docs/client-example.md) runs as written against real processes. */
import { spawn } from 'node:child_process';
import { type ApiCluster, startApiCluster } from './apiCluster.js';

let cluster: ApiCluster;

beforeAll(async () => {
  cluster = await startApiCluster({ workers: 1 });
});
afterAll(() => cluster.stop());

test('the client example queues, follows progress to completion and reads the result', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/client.ts'], {
    env: { PATH: process.env.PATH ?? '', CANDELA_URL: cluster.apis[0]!, CANDELA_TOKEN: await cluster.token('alice') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect({ code, output }).toEqual({
    code: 0,
    output: expect.stringMatching(
      /^queued analysis_\w+\n0% queued queued: queued\n[\s\S]*100% completed finished: analysis completed\ncompleted: .+\nchart: \/charts\/analysis_\w+\.png\?expires=\d+&signature=/,
    ),
  });
});

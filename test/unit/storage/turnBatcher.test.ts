/** The turn batcher's limits, with a hand-driven sender (its turn-by-turn batching: stageEventWriter.test.ts). */
import { createTurnBatcher } from '../../../storage/turnBatcher.js';

const turnEnd = () => new Promise((resolve) => setImmediate(resolve));

test('a batch that reaches maxItems goes out at once; the rest of the turn waits for its end', async () => {
  const sent: number[][] = [];
  const batcher = createTurnBatcher<number, string>((items) => {
    sent.push([...items]);
    return Promise.resolve(items.map((item) => `done ${item}`));
  }, 2);
  const results = [batcher.add(1), batcher.add(2), batcher.add(3)];
  expect(sent).toEqual([[1, 2]]);
  await turnEnd();
  expect(sent).toEqual([[1, 2], [3]]);
  expect(await Promise.all(results)).toEqual(['done 1', 'done 2', 'done 3']);
});

test('a reply short of results rejects the items it lacks, and resolves the others', async () => {
  const batcher = createTurnBatcher<number, number>((items) => Promise.resolve(items.slice(0, 1)));
  const [first, second] = [batcher.add(10), batcher.add(20)];
  expect(await first).toBe(10);
  await expect(second).rejects.toThrow('the batch of 2 replied 1 results');
});

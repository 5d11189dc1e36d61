/** The stage event writer's batching, with a hand-driven sender: what goes out when, and in which order. */
import { createStageEventWriter, type StageEventWrite } from '../../../storage/stageEventWriter.js';

interface Sent {
  writes: readonly StageEventWrite<string>[];
  reply(owned: boolean[]): void;
  fail(error: Error): void;
}

function sender() {
  const sent: Sent[] = [];
  const send = (writes: readonly StageEventWrite<string>[]) =>
    new Promise<boolean[]>((resolve, reject) => sent.push({ writes, reply: resolve, fail: reject }));
  return { sent, send };
}
const events = (batch: Sent) => batch.writes.map((write) => write.event);
const turnEnd = () => new Promise((resolve) => setImmediate(resolve));

test("a turn's events go out together when the turn ends, the next turn's in a batch of their own", async () => {
  const { sent, send } = sender();
  const writer = createStageEventWriter(send);
  const first = [writer.append('a', 'token-a', 'a:candles'), writer.append('b', 'token-b', 'b:candles')];
  const third = writer.append('a', 'token-a', 'a:patterns');
  expect(sent).toHaveLength(0);
  await turnEnd();
  expect(sent.map(events)).toEqual([['a:candles', 'b:candles', 'a:patterns']]);
  expect(sent[0]!.writes.map((write) => write.ownerToken)).toEqual(['token-a', 'token-b', 'token-a']);

  const next = writer.append('b', 'token-b', 'b:patterns');
  await turnEnd();
  expect(sent.map(events)).toEqual([['a:candles', 'b:candles', 'a:patterns'], ['b:patterns']]);

  sent[0]!.reply([true, false, true]);
  expect(await Promise.all([...first, third])).toEqual([true, false, true]);
  sent[1]!.reply([true]);
  expect(await next).toBe(true);
});

test('flush sends the waiting events at once; the turn sends only what came after it', async () => {
  const { sent, send } = sender();
  const writer = createStageEventWriter(send);
  const waiting = writer.append('a', 'token-a', 'a:summary');
  writer.flush();
  expect(sent.map(events)).toEqual([['a:summary']]);
  writer.flush();
  expect(sent).toHaveLength(1);
  const after = writer.append('b', 'token-b', 'b:summary');
  await turnEnd();
  expect(sent.map(events)).toEqual([['a:summary'], ['b:summary']]);

  sent[0]!.reply([true]);
  sent[1]!.reply([true]);
  expect(await Promise.all([waiting, after])).toEqual([true, true]);
});

test('a failed batch rejects each of its events, and the next turn goes out again', async () => {
  const { sent, send } = sender();
  const writer = createStageEventWriter(send);
  const failed = [writer.append('a', 'token-a', 'a:candles'), writer.append('b', 'token-b', 'b:candles')];
  await turnEnd();
  sent[0]!.fail(new Error('connection reset'));
  for (const write of failed) await expect(write).rejects.toThrow('connection reset');

  const later = writer.append('c', 'token-c', 'c:candles');
  await turnEnd();
  expect(sent.map(events)).toEqual([['a:candles', 'b:candles'], ['c:candles']]);
  sent[1]!.reply([true]);
  expect(await later).toBe(true);
});

test('a sender that throws at once rejects its batch instead of throwing at the caller', async () => {
  const writer = createStageEventWriter<string>(() => {
    throw new Error('not connected');
  });
  await expect(writer.append('a', 'token-a', 'a:candles')).rejects.toThrow('not connected');
});

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
const settled = () => new Promise((resolve) => setImmediate(resolve));

test('an event goes out at once when nothing is on the wire; those emitted meanwhile go together on the reply', async () => {
  const { sent, send } = sender();
  const writer = createStageEventWriter(send);
  const first = writer.append('a', 'token-a', 'a:candles');
  expect(sent.map(events)).toEqual([['a:candles']]);

  const later = [writer.append('b', 'token-b', 'b:candles'), writer.append('a', 'token-a', 'a:patterns')];
  expect(sent).toHaveLength(1);
  sent[0]!.reply([true]);
  expect(await first).toBe(true);
  await settled();
  expect(sent.map(events)).toEqual([['a:candles'], ['b:candles', 'a:patterns']]);

  sent[1]!.reply([false, true]);
  expect(await Promise.all(later)).toEqual([false, true]);
  expect(sent[1]!.writes.map((write) => write.ownerToken)).toEqual(['token-b', 'token-a']);
});

test('flush sends the waiting events at once, behind the batch already on the wire', async () => {
  const { sent, send } = sender();
  const writer = createStageEventWriter(send);
  void writer.append('a', 'token-a', 'a:candles');
  const waiting = writer.append('a', 'token-a', 'a:summary');
  writer.flush();
  expect(sent.map(events)).toEqual([['a:candles'], ['a:summary']]);
  writer.flush();
  expect(sent).toHaveLength(2);

  sent[1]!.reply([true]);
  expect(await waiting).toBe(true);
  sent[0]!.reply([true]);
  await settled();
  expect(sent).toHaveLength(2);
});

test('a failed batch rejects each of its events, and the next event goes out on its own', async () => {
  const { sent, send } = sender();
  const writer = createStageEventWriter(send);
  const first = writer.append('a', 'token-a', 'a:candles');
  const second = writer.append('b', 'token-b', 'b:candles');
  sent[0]!.fail(new Error('connection reset'));
  await expect(first).rejects.toThrow('connection reset');
  await settled();
  sent[1]!.fail(new Error('still down'));
  await expect(second).rejects.toThrow('still down');

  const third = writer.append('c', 'token-c', 'c:candles');
  expect(sent.map(events)).toEqual([['a:candles'], ['b:candles'], ['c:candles']]);
  sent[2]!.reply([true]);
  expect(await third).toBe(true);
});

test('a sender that throws at once rejects its batch instead of throwing at the caller', async () => {
  const writer = createStageEventWriter<string>(() => {
    throw new Error('not connected');
  });
  await expect(writer.append('a', 'token-a', 'a:candles')).rejects.toThrow('not connected');
});

/**
 * A worker's connection sends one turn's commands in one socket write, and redis-server reads
 * them in one read; replies keep their order, later turns and a new socket after a reconnect
 * coalesce the same way.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { closeRedis, connectRedis } from '../../../storage/redisConnection.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';

let server: TestRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => closeRedis(client)));
  await server.stop();
});

async function connected(writesPerTurn: boolean): Promise<Redis> {
  const client = connectRedis({ REDIS_URL: server.url }, 'turn-writes-test', {
    autoPipelining: false,
    writesPerTurn,
  }) as Redis;
  clients.push(client);
  await client.ping();
  return client;
}

/** Counts the socket's hand-overs to the kernel (one per write, or one writev for corked writes). */
function countSocketWrites(client: Redis): { count: number } {
  const socket = client.stream as Socket & { _write: Socket['_write']; _writev?: Socket['_writev'] };
  const counter = { count: 0 };
  const write = socket._write.bind(socket);
  const writev = socket._writev?.bind(socket);
  socket._write = (...args) => {
    counter.count += 1;
    write(...args);
  };
  if (writev)
    socket._writev = (...args) => {
      counter.count += 1;
      writev(...args);
    };
  return counter;
}

const readsProcessed = async () =>
  Number(/total_reads_processed:(\d+)/.exec(await server.client.info('stats'))?.[1] ?? NaN);

const oneTurnOfCommands = (client: Redis, prefix: string) =>
  Promise.all(Array.from({ length: 50 }, (_, index) => client.incrby(`${prefix}:counter`, index + 1)));

test('one turn of commands goes out in one socket write and is read by redis-server at once', async () => {
  const client = await connected(true);
  const writes = countSocketWrites(client);
  const readsBefore = await readsProcessed();
  const replies = await oneTurnOfCommands(client, 'coalesced');
  // One read for the turn, one for each INFO of this test's own client.
  expect((await readsProcessed()) - readsBefore).toBeLessThanOrEqual(3);
  expect(writes.count).toBe(1);
  // Replies in the order sent: running sums 1, 3, 6, ...
  expect(replies).toEqual(Array.from({ length: 50 }, (_, index) => ((index + 1) * (index + 2)) / 2));
});

test('without it every command is a write of its own', async () => {
  const client = await connected(false);
  const writes = countSocketWrites(client);
  await oneTurnOfCommands(client, 'plain');
  expect(writes.count).toBe(50);
});

test('each later turn, and the socket of a reconnect, coalesce too', async () => {
  const client = await connected(true);
  const firstSocket = client.stream;
  const writes = countSocketWrites(client);
  await oneTurnOfCommands(client, 'second-turn');
  await oneTurnOfCommands(client, 'third-turn');
  expect(writes.count).toBe(2);

  await server.client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  expect(client.stream).not.toBe(firstSocket);
  const writesAfterReconnect = countSocketWrites(client);
  const replies = await oneTurnOfCommands(client, 'after-reconnect');
  expect(writesAfterReconnect.count).toBe(1);
  expect(replies.at(-1)).toBe((50 * 51) / 2);
});

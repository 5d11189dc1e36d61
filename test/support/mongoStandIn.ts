/**
 * A MongoDB stand-in for tests: a TCP server on a loopback port that the official `mongodb`
 * driver talks to over the real wire protocol (OP_MSG, and the legacy OP_QUERY hello it may
 * send first), keeping collections in memory. Query, update and aggregation semantics come
 * from mingo; messages are encoded by the official `bson`.
 *
 * It emulates what Candela uses: hello/isMaster, ping, buildInfo, endSessions, insert, find
 * with getMore and killCursors, update (with upsert), findAndModify, delete, createIndexes
 * (unique enforced, duplicate key error 11000), listIndexes, dropIndexes, collMod of a TTL,
 * count, aggregate (the stages countDocuments sends, and a few more), drop, dropDatabase, and
 * with those everything GridFS does. Any other command, option or stage is refused with
 * `ok: 0`, code 59 (CommandNotFound), so a gap fails loudly instead of passing silently.
 *
 * Not emulated, so tests must not depend on them: TTL deletion (TTL indexes are stored and
 * listed, nothing ever expires), transactions and retryable writes (refused), authentication,
 * compression, collation, change streams. Queries scan; indexes only list and enforce
 * uniqueness. int64 values come back as doubles (the driver's default promotion on the way in).
 */
import net from 'node:net';
import type { Document } from 'bson';
import {
  buildInfo,
  collMod,
  createIndexes,
  drop,
  dropDatabase,
  dropIndexes,
  hello,
  killCursors,
  listIndexes,
} from './mongoAdminCommands.js';
import { CursorRegistry } from './mongoCursors.js';
import { MongoData } from './mongoDatabase.js';
import { badValue, errorReply, notEmulated } from './mongoErrors.js';
import { aggregate, count, find, getMore } from './mongoReadCommands.js';
import { encodeReply, parseRequest, takeMessage } from './mongoWire.js';
import { findAndModify, insert, remove, update, type CommandTarget } from './mongoWriteCommands.js';

export interface MongoStandIn {
  /** A connection string for the driver, e.g. `mongodb://127.0.0.1:41234/candela_test`. */
  url: string;
  port: number;
  data: MongoData;
  /** Every command name received, in order: lets a test see what the driver really sent. */
  commandLog: string[];
  stop(): Promise<void>;
}

interface Session {
  connectionId: number;
}

type Handler = (target: CommandTarget, command: Document, session: Session) => Document;

export function createCommandRunner(data: MongoData, commandLog: string[] = []) {
  const cursors = new CursorRegistry();
  const handlers: Record<string, Handler> = {
    hello: (_target, _command, session) => hello(session.connectionId),
    ping: () => ({ ok: 1 }),
    buildInfo: () => buildInfo(),
    endSessions: () => ({ ok: 1 }),
    insert: (target, command) => insert(target, command),
    update: (target, command) => update(target, command),
    delete: (target, command) => remove(target, command),
    findAndModify: (target, command) => findAndModify(target, command),
    find: (target, command) => find(target, command, cursors),
    getMore: (target, command) => getMore(target, command, cursors),
    killCursors: (_target, command) => killCursors(command, cursors),
    aggregate: (target, command) => aggregate(target, command, cursors),
    count: (target, command) => count(target, command),
    createIndexes: (target, command) => createIndexes(target, command),
    listIndexes: (target, command) => listIndexes(target, command, cursors),
    dropIndexes: (target, command) => dropIndexes(target, command),
    collMod: (target, command) => collMod(target, command),
    drop: (target) => drop(target),
    dropDatabase: (target) => dropDatabase(data, target.namespace.split('.')[0]!),
  };
  const aliases: Record<string, string> = {
    isMaster: 'hello',
    ismaster: 'hello',
    buildinfo: 'buildInfo',
    findandmodify: 'findAndModify',
  };

  return (command: Document, session: Session): Document => {
    const given = Object.keys(command)[0] ?? '';
    const name = aliases[given] ?? given;
    commandLog.push(given);
    try {
      const handler = handlers[name];
      if (!handler) throw notEmulated(`command '${given}'`);
      if (command.startTransaction !== undefined || command.autocommit !== undefined || command.txnNumber !== undefined)
        throw notEmulated('transactions and retryable writes');
      const database = command.$db;
      if (typeof database !== 'string') throw badValue("a command needs '$db'");
      const collectionName = name === 'getMore' ? command.collection : command[given];
      const namespace = typeof collectionName === 'string' ? `${database}.${collectionName}` : `${database}.$cmd`;
      if (['aggregate', 'find', 'count'].includes(name) && typeof collectionName !== 'string')
        throw notEmulated(`database-level ${name}`);
      return handler({ data, namespace }, command, session);
    } catch (error) {
      return errorReply(error);
    }
  };
}

export async function startMongoStandIn(options: { database?: string } = {}): Promise<MongoStandIn> {
  const data = new MongoData();
  const commandLog: string[] = [];
  const run = createCommandRunner(data, commandLog);
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  let nextReplyId = 1;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const session: Session = { connectionId: nextConnectionId++ };
    let received: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      try {
        for (let next = takeMessage(received); next; next = takeMessage(received)) {
          received = next.rest;
          const request = parseRequest(next.message);
          const reply = run(request.command, session);
          if (request.expectsReply) socket.write(encodeReply(request, nextReplyId++, reply));
        }
      } catch (error) {
        // A framing error leaves the stream unreadable; a real server closes the connection too.
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `mongodb://127.0.0.1:${port}/${options.database ?? 'candela_test'}`,
    port,
    data,
    commandLog,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The V8 heap of a `candela` process started with `--inspect=127.0.0.1:0` (through
 * NODE_OPTIONS, so the product needs no hook): forces a full garbage collection over the
 * inspector protocol and reads the heap then in use. That tells a leak (live objects that stay)
 * from allocator retention (RSS the process keeps after its heap shrank), which RSS alone
 * cannot. Written here rather than taken from a library: the protocol is two JSON messages
 * over the `ws` client we already use.
 */
import WebSocket from 'ws';
import type { CandelaProcess } from './candelaProcess.js';

/** Environment that makes a started process listen for an inspector on a free loopback port. */
export const INSPECTABLE_ENV = { NODE_OPTIONS: '--inspect=127.0.0.1:0' };

export interface InspectedHeap {
  /** Bytes of V8 heap in use right after a forced full GC. */
  usedAfterGc(): Promise<number>;
  close(): void;
}

interface Reply {
  id?: number;
  result?: { usedSize?: number };
  error?: { message: string };
}

export async function inspectHeap(process: CandelaProcess, timeoutMs = 30_000): Promise<InspectedHeap> {
  const banner = await process.waitForOutput(/Debugger listening on ws:\/\/\S+/, timeoutMs);
  const url = banner.replace('Debugger listening on ', '');
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  socket.on('message', (data: Buffer) => {
    const reply = JSON.parse(data.toString()) as Reply;
    if (reply.id === undefined) return;
    waiting.get(reply.id)?.resolve(reply);
    waiting.delete(reply.id);
  });
  socket.on('close', () => {
    for (const { reject } of waiting.values()) reject(new Error('inspector connection closed'));
    waiting.clear();
  });
  const call = (method: string) =>
    new Promise<Reply>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`inspector ${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.error) reject(new Error(`inspector ${method}: ${reply.error.message}`));
          else resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    async usedAfterGc() {
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.getHeapUsage');
      const used = usage.result?.usedSize;
      if (typeof used !== 'number') throw new Error('inspector Runtime.getHeapUsage: no usedSize');
      return used;
    },
    close: () => socket.close(),
  };
}

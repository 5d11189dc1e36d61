/**
 * A fixed pool of worker threads for analysis.immediate: one task per thread at a time, a
 * bounded wait line, and a timeout that replaces a stuck thread. The API's event loop only
 * posts messages. The thread file resolves beside this one (startModuleThread).
 */
import type { Worker } from 'node:worker_threads';
import type { Config } from '../../config/env.js';
import { startModuleThread } from '../../pipeline/moduleThread.js';
import type { ImmediateOutcome, ImmediateTask } from './immediateAnalysis.js';
import type { ThreadReply } from './threadMessages.js';

export class PoolRefused extends Error {
  constructor(
    message: string,
    readonly reason: 'busy' | 'timeout' | 'closed' | 'failed' | 'permanent',
  ) {
    super(message);
    this.name = 'PoolRefused';
  }
}

export interface PoolOptions {
  size: number;
  config: Config;
  timeoutMs: number;
  /** Tasks waiting for a free thread beyond this many are refused at once. */
  maxWaiting: number;
}

interface Pending {
  taskId: number;
  task: ImmediateTask;
  resolve(outcome: ImmediateOutcome): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  current?: Pending;
  timer?: NodeJS.Timeout;
}

export function createAnalysisPool(options: PoolOptions) {
  const waiting: Pending[] = [];
  let nextTaskId = 1;
  let closed = false;

  function spawnSlot(): Slot {
    const slot: Slot = { worker: startModuleThread(import.meta.url, 'analysisThread', options.config) };
    slot.worker.on('message', (reply: ThreadReply) => {
      const task = slot.current;
      if (!task || task.taskId !== reply.taskId) return;
      release(slot);
      if (reply.ok) task.resolve(reply.outcome);
      else task.reject(new PoolRefused(reply.message, reply.permanent ? 'permanent' : 'failed'));
    });
    slot.worker.on('error', (error) =>
      replace(slot, new PoolRefused(`analysis thread crashed: ${error.message}`, 'failed')),
    );
    slot.worker.on('exit', () => replace(slot, new PoolRefused('analysis thread exited', 'failed')));
    return slot;
  }

  const slots: Slot[] = Array.from({ length: options.size }, spawnSlot);

  function release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.current = undefined;
    slot.timer = undefined;
    if (!closed) dispatch();
  }

  /** A thread that crashed or timed out is discarded with its task, and a fresh one takes its place. */
  function replace(slot: Slot, error: PoolRefused): void {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    const task = slot.current;
    slots.splice(index, 1);
    clearTimeout(slot.timer);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    task?.reject(error);
    if (closed) return;
    slots.push(spawnSlot());
    dispatch();
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.current) continue;
      const task = waiting.shift();
      if (!task) return;
      slot.current = task;
      slot.timer = setTimeout(
        () => replace(slot, new PoolRefused(`immediate analysis took longer than ${options.timeoutMs} ms`, 'timeout')),
        options.timeoutMs,
      );
      slot.worker.postMessage({ taskId: task.taskId, task: task.task });
    }
  }

  function run(task: ImmediateTask): Promise<ImmediateOutcome> {
    if (closed) return Promise.reject(new PoolRefused('the API is shutting down', 'closed'));
    if (waiting.length >= options.maxWaiting)
      return Promise.reject(
        new PoolRefused(
          `${waiting.length} immediate analyses are already waiting; try again shortly or queue it`,
          'busy',
        ),
      );
    return new Promise((resolve, reject) => {
      waiting.push({ taskId: nextTaskId++, task, resolve, reject });
      dispatch();
    });
  }

  async function close(): Promise<void> {
    closed = true;
    for (const task of waiting.splice(0)) task.reject(new PoolRefused('the API is shutting down', 'closed'));
    await Promise.all(
      slots.splice(0).map((slot) => {
        clearTimeout(slot.timer);
        slot.worker.removeAllListeners();
        slot.current?.reject(new PoolRefused('the API is shutting down', 'closed'));
        return slot.worker.terminate();
      }),
    );
  }

  return { run, close };
}

export type AnalysisPool = ReturnType<typeof createAnalysisPool>;

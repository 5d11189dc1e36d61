/**
 * A fixed pool of threads for CPU-heavy stages (stageThread.ts): one task per
 * thread at a time, tasks waiting in order. A job's AbortSignal ends its wait at once (a task
 * already running finishes in its thread, and its answer is dropped). A thread that crashes
 * fails its task and is replaced. Threads are unref'd: they never keep the process alive.
 * The threads start with the first task: a worker whose series are all short (inlineSmallStages)
 * never needs them, and each thread's start (its own module graph, about 0.8 s of CPU) was,
 * with four worker processes on two cores, CPU taken from the analyses (bench:pipeline).
 */
import type { Worker } from 'node:worker_threads';
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import type { RenderedChart } from '../storage/charts/chartStore.js';
import { startModuleThread } from './moduleThread.js';
import type { StageReply, StageRequest, StageResult } from './stageThreadMessages.js';

export interface StageThreads {
  patterns(series: CandleSeries, signal: AbortSignal): Promise<AnalysisReport>;
  /** The chart's SVG (its PNG is drawn on first request, through `png`). */
  chart(series: CandleSeries, report: AnalysisReport, signal: AbortSignal): Promise<RenderedChart>;
  /** A chart's PNG from its SVG. */
  png(svg: string, signal: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

type Task = StageRequest extends infer R ? (R extends StageRequest ? Omit<R, 'taskId'> : never) : never;

interface Pending {
  taskId: number;
  task: Task;
  resolve(value: StageResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** The task the thread is computing; it stays busy until the thread answers, even if the task was aborted. */
  busyWith?: number;
}

export function createStageThreads(size: number): StageThreads {
  const waiting: Pending[] = [];
  const running = new Map<number, Pending>();
  let nextTaskId = 1;
  let closed = false;

  function spawnSlot(): Slot {
    const slot: Slot = { worker: startModuleThread(import.meta.url, 'stageThread', undefined) };
    slot.worker.unref();
    slot.worker.on('message', (reply: StageReply) => {
      const task = running.get(reply.taskId);
      running.delete(reply.taskId);
      slot.busyWith = undefined;
      if (task) {
        if (reply.ok) task.resolve(reply.value);
        else task.reject(new Error(reply.message));
      }
      dispatch();
    });
    const replace = (error: Error) => {
      const index = slots.indexOf(slot);
      if (index < 0) return;
      slots.splice(index, 1);
      slot.worker.removeAllListeners();
      void slot.worker.terminate();
      if (slot.busyWith !== undefined) {
        running.get(slot.busyWith)?.reject(error);
        running.delete(slot.busyWith);
      }
      if (closed) return;
      slots.push(spawnSlot());
      dispatch();
    };
    slot.worker.on('error', (error) => replace(new Error(`stage thread crashed: ${error.message}`)));
    slot.worker.on('exit', () => replace(new Error('stage thread exited')));
    return slot;
  }

  const slots: Slot[] = [];
  let started = false;

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.busyWith !== undefined) continue;
      const pending = waiting.shift();
      if (!pending) return;
      slot.busyWith = pending.taskId;
      running.set(pending.taskId, pending);
      slot.worker.postMessage({ ...pending.task, taskId: pending.taskId });
    }
  }

  function run(task: Task, signal: AbortSignal): Promise<StageResult> {
    if (closed) return Promise.reject(new Error('stage threads are closed'));
    signal.throwIfAborted();
    if (!started) {
      started = true;
      for (let index = 0; index < Math.max(1, size); index += 1) slots.push(spawnSlot());
    }
    return new Promise((resolve, reject) => {
      const taskId = nextTaskId++;
      const onAbort = () => {
        const index = waiting.findIndex((pending) => pending.taskId === taskId);
        if (index >= 0) waiting.splice(index, 1);
        running.delete(taskId);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle =
        <T>(done: (value: T) => void) =>
        (value: T) => {
          signal.removeEventListener('abort', onAbort);
          done(value);
        };
      waiting.push({ taskId, task, resolve: settle(resolve), reject: settle(reject) });
      dispatch();
    });
  }

  return {
    patterns: (series, signal) => run({ stage: 'patterns', series }, signal) as Promise<AnalysisReport>,
    chart: (series, report, signal) => run({ stage: 'chart', series, report }, signal) as Promise<RenderedChart>,
    png: (svg, signal) => run({ stage: 'png', svg }, signal) as Promise<Uint8Array>,
    async close() {
      closed = true;
      const error = new Error('stage threads are closed');
      for (const pending of waiting.splice(0)) pending.reject(error);
      for (const pending of running.values()) pending.reject(error);
      running.clear();
      await Promise.all(
        slots.splice(0).map((slot) => {
          slot.worker.removeAllListeners();
          return slot.worker.terminate();
        }),
      );
    },
  };
}

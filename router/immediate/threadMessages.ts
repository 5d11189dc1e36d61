/** Messages between the API's thread pool and its analysis threads. */
import type { ImmediateOutcome, ImmediateTask } from './immediateAnalysis.js';

export type ThreadRequest = { taskId: number; task: ImmediateTask };

export type ThreadReply =
  | { taskId: number; ok: true; outcome: ImmediateOutcome }
  | { taskId: number; ok: false; message: string; permanent: boolean };

/**
 * The schedule scripts of the script table (storage/lua/createSchedule.lua,
 * claimScheduleRun.lua, confirmScheduleRun.lua, setScheduleState.lua).
 */
import { integer, list, oneOf, text, texts } from './replies.js';
import { defineScript } from './scriptDefinition.js';

export const createSchedule = defineScript({
  name: 'createSchedule',
  file: 'createSchedule.lua',
  keys: ['schedule', 'userSchedules', 'due'],
  args: ['scheduleId', 'createdAt', 'nextDue', 'maxSchedules'],
  lists: ['record'],
  parseReply(reply, fail): { outcome: 'created'; scheduleId: string } | { outcome: 'at-cap'; count: number } {
    const [outcome, value] = list(reply, fail);
    const kind = oneOf(outcome, ['created', 'at-cap'], fail);
    return kind === 'created'
      ? { outcome: kind, scheduleId: text(value, fail) }
      : { outcome: kind, count: integer(value, fail) };
  },
});

/** A run to create: the scan's id and, per interval it covers, the open time of the bar it runs for. */
export interface ScheduleRun {
  scanId: string;
  bars: { interval: string; bar: number }[];
}

export type ClaimOutcome = ({ outcome: 'run' | 'pending' } & ScheduleRun) | { outcome: 'none' | 'paused' | 'gone' };

export const claimScheduleRun = defineScript({
  name: 'claimScheduleRun',
  file: 'claimScheduleRun.lua',
  keys: ['schedule', 'due'],
  args: ['scheduleId', 'nextDue', 'retryAt', 'scanId'],
  lists: ['bars'],
  parseReply(reply, fail): ClaimOutcome {
    const [outcome, ...rest] = list(reply, fail);
    const kind = oneOf(outcome, ['run', 'pending', 'none', 'paused', 'gone'], fail);
    if (kind !== 'run' && kind !== 'pending') return { outcome: kind };
    const [scanId, ...pairs] = texts(rest, fail);
    const bars: ScheduleRun['bars'] = [];
    for (let index = 0; index + 1 < pairs.length; index += 2)
      bars.push({ interval: pairs[index]!, bar: Number(pairs[index + 1]) });
    return { outcome: kind, scanId: scanId ?? fail('a scan id'), bars };
  },
});

export const confirmScheduleRun = defineScript({
  name: 'confirmScheduleRun',
  file: 'confirmScheduleRun.lua',
  keys: ['schedule', 'due', 'runs'],
  args: ['scheduleId', 'scanId', 'outcome', 'closedAt', 'nextDue', 'now', 'runsMax'],
  parseReply: (reply, fail) => oneOf(reply, ['confirmed', 'late', 'gone'], fail),
});

export const setScheduleState = defineScript({
  name: 'setScheduleState',
  file: 'setScheduleState.lua',
  keys: ['schedule', 'due'],
  args: ['scheduleId', 'status', 'now', 'nextDue'],
  lists: ['bars'],
  parseReply: (reply, fail) => oneOf(reply, ['ok', 'missing'], fail),
});

export const SCHEDULE_SCRIPTS = [createSchedule, claimScheduleRun, confirmScheduleRun, setScheduleState] as const;

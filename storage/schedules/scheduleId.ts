/** Schedule ids: `sched_` + the same sortable unique id as analyses, so lists sort by creation. */
import { newUlid } from '../analysisId.js';

export const SCHEDULE_ID = /^sched_[0-9A-HJKMNP-TV-Z]{26}$/;

export function newScheduleId(epochMs?: number): string {
  return `sched_${newUlid(epochMs)}`;
}

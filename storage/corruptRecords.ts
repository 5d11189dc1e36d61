/**
 * Job records that cannot be read back (a missing status, an unknown one, analysis_data that
 * is not JSON): each is logged with its job id and counted, never silently turned into "no job".
 * The counter is registered nowhere by itself; a metrics endpoint adds it to its registry.
 */
import { Counter } from 'prom-client';
import { createLogger, type Logger } from '../config/logger.js';

export const corruptJobRecords = new Counter({
  name: 'candela_corrupt_job_records_total',
  help: 'Job records read from Redis that could not be parsed, by the part that was broken',
  labelNames: ['field'],
  registers: [],
});

let log: Logger | undefined;

export function reportCorruptRecord(analysisId: string, field: string, detail: string): void {
  corruptJobRecords.inc({ field });
  log ??= createLogger('storage');
  log.error({ analysisId, field, detail }, 'corrupt job record in Redis');
}

/**
 * A completed job's final event is logged and published without its result: the job's record
 * holds the result (analysis_data is tens of KB), so Redis stores it once and it does not reach
 * every API node with every job. A follower attaches it from the record as it sends the event,
 * so clients get the completed event with its result.
 */
import type { JobRecord } from '../../storage/jobRecord.js';
import type { PublishedProgress } from '../../storage/progressEvent.js';

/** The result fields of a completed record, as the worker wrote them (absent ones left out). */
function resultOf(record: JobRecord): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (record.image_url !== null) result.image_url = record.image_url;
  if (record.llm_summary !== null) result.llm_summary = record.llm_summary;
  if (record.summary_source !== null) result.summary_source = record.summary_source;
  if (record.analysis_data !== null && record.analysis_data !== undefined) result.analysis_data = record.analysis_data;
  return result;
}

/**
 * The message with its job's result attached, when it is a completed event without one and the
 * record (read only then) is still completed; otherwise the message as it came.
 */
export async function withResult(
  message: PublishedProgress,
  readRecord: () => Promise<JobRecord | undefined>,
): Promise<PublishedProgress> {
  if (message.event.status !== 'completed' || message.event.data !== undefined) return message;
  const record = await readRecord();
  if (record?.status !== 'completed') return message;
  return { ...message, event: { ...message.event, data: resultOf(record) } };
}

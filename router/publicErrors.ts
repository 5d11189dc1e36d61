/**
 * What the API may say about a failure. Messages written by the workers and the
 * integrations (market data, LLM) are for the operator's log; before a client sees one,
 * server details are taken out: absolute paths become their file name, upstream URLs a
 * placeholder, and listings of what the data directory holds are dropped. Unexpected
 * errors become "internal error" with a request id that the log line carries too.
 */
import { randomUUID } from 'node:crypto';

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>()]+/gi;
/** An absolute POSIX path: a slash at a word start, then at least one more segment. */
const ABSOLUTE_PATH = /(^|[\s'"(=:,])\/(?:[^\s'"()/,;]+\/)+([^\s'"()/,;]*)/g;
/** The file source's hint of which files exist, e.g. "; BTCUSDT is available for 1h, 4h". */
const LISTING = /;\s*[^;()]*\b(?:is available for|no file for)\b[^;()]*?(?=\s*[;(]|\s*$)/gi;

export const UPSTREAM_PLACEHOLDER = '<upstream>';

export function publicMessage(message: string): string {
  return message
    .replace(URL_PATTERN, UPSTREAM_PLACEHOLDER)
    .replace(LISTING, '')
    .replace(ABSOLUTE_PATH, (_match, before: string, file: string) => `${before}${file}`);
}

export const INTERNAL_MESSAGE = 'internal error';

export const newRequestId = (): string => randomUUID();

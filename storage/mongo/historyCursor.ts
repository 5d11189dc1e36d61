/**
 * The page cursor of the analysis history: the (created_at, analysis_id) of the last item
 * served. Pages are ordered by that pair, newest first, so a cursor stays valid when newer
 * analyses arrive or older ones expire, and no item is served twice or skipped.
 */
export interface HistoryPosition {
  createdAt: Date;
  analysisId: string;
}

export class InvalidHistoryCursor extends Error {
  override readonly name = 'InvalidHistoryCursor';
  constructor(cursor: string) {
    super(
      `cursor: ${JSON.stringify(cursor.slice(0, 80))} is not a cursor this list returned; pass the nextCursor of the previous page, or none for the first page`,
    );
  }
}

export function encodeHistoryCursor(position: HistoryPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.analysisId])).toString('base64url');
}

export function decodeHistoryCursor(cursor: string): HistoryPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidHistoryCursor(cursor);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isFinite(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    parsed[1] === ''
  )
    throw new InvalidHistoryCursor(cursor);
  return { createdAt: new Date(parsed[0] as number), analysisId: parsed[1] };
}

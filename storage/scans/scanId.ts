/** Scan ids: `scan_` + the same sortable unique id as analyses, so lists sort by creation. */
import { newUlid, partitionSuffix } from '../analysisId.js';

/** With the queue partition of its user as a suffix, as analysis ids carry theirs. */
export const SCAN_ID = /^scan_[0-9A-HJKMNP-TV-Z]{26}(-p[1-9][0-9]{0,3})?$/;

export function newScanId(epochMs?: number, partition: number = 0): string {
  return `scan_${newUlid(epochMs)}${partitionSuffix(partition)}`;
}

export const isScanId = (id: string): boolean => id.startsWith('scan_');

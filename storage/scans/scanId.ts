/** Scan ids: `scan_` + the same sortable unique id as analyses, so lists sort by creation. */
import { newUlid } from '../analysisId.js';

export const SCAN_ID = /^scan_[0-9A-HJKMNP-TV-Z]{26}$/;

export function newScanId(epochMs?: number): string {
  return `scan_${newUlid(epochMs)}`;
}

export const isScanId = (id: string): boolean => id.startsWith('scan_');

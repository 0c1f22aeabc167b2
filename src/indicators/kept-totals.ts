import { createHash } from 'node:crypto';
import { releaseTag } from '../reports/deliver/kept/kept-reports.js';

/** Bump by hand when the bytes of totals change without any change to the compiled code (none known). */
const FORMAT_TAG = 'kept-indicator-totals/1';

/** Everything that determines the bytes of an ended period's indicator totals. */
export interface KeptTotalsKey {
  /** A funder's totals (`of` its id) or a region's (`of` the region, null for every cluster). */
  scope: 'funder' | 'region';
  of: string | null;
  from: string;
  to: string;
  /** The period's name as the body says it (`2026-H1`), or null for from/to. */
  period: string | null;
  timeZone: string;
  /**
   * The clusters added up: for a funder, those the caller may read now. Two callers who read different clusters
   * never share a kept copy, and a caller who lost a cluster since never gets one that holds it.
   */
  clusterIds: readonly string[];
}

/**
 * The key of kept totals in `kept_report`, beside the kept reports: a SHA-256 of the release, of a tag no report key
 * has, and of everything that determines the bytes.
 */
export function keptTotalsKey(key: KeptTotalsKey): Buffer {
  const parts = [
    releaseTag(),
    FORMAT_TAG,
    key.scope,
    key.of,
    key.from,
    key.to,
    key.period,
    key.timeZone,
    [...key.clusterIds].sort().join(','),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest();
}

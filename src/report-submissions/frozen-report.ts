import { PLAN_ITEM_KINDS, sectionOf } from '../plan-item-kinds.js';
import type { ReportResponse } from '../reports/dto/report.dto.js';
import { type AssembledSection, ChangeList, ReplanList, type ReportDocument } from '../reports/report-document.js';

type Item = Record<string, unknown> & { changes?: unknown[]; replanned?: unknown[] };

/** An item of the stored JSON as the writers take it: its changes and replans as JSON text again. */
function assembled(item: Item): Item {
  const out: Item = { ...item };
  if (Array.isArray(item.changes)) out.changes = new ChangeList(item.changes.length, JSON.stringify(item.changes)) as never;
  if (Array.isArray(item.replanned)) out.replanned = new ReplanList(JSON.stringify(item.replanned)) as never;
  return out;
}

/**
 * The report document of a submitted report, read back from the JSON bytes
 * stored at submission (and the latest comments frozen with them), for the
 * CSV and XLSX writers: what those forms show comes from the frozen report,
 * never from the live data.
 */
export function frozenDocument(json: Buffer, latestComments: Record<string, string>): ReportDocument {
  const { clusters, indicatorTotals, ...head } = JSON.parse(json.toString('utf8')) as ReportResponse;
  const sections = clusters.map(
    (section) =>
      ({
        ...section,
        // Every kind of plan item's section (a report frozen before a kind was reported has none of it).
        ...Object.fromEntries(
          PLAN_ITEM_KINDS.map(sectionOf).map((key) => [
            key,
            ((section as unknown as Record<string, Item[] | undefined>)[key] ?? []).map(assembled),
          ]),
        ),
      }) as unknown as AssembledSection,
  );
  return { head, sections, ...(indicatorTotals ? { indicatorTotals } : {}), latestComments: new Map(Object.entries(latestComments)) };
}

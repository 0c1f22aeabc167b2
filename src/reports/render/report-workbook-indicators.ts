import type { IndicatorTotalsItem } from '../../indicators/dto/indicator-totals-item.dto.js';
import type { ReportDocument } from '../report-document.js';
import { column, T, type WorkbookContext, type WorkbookRow, type WorkbookSheet, type WorkbookValue } from './report-workbook-model.js';

/** The enterprise sizes of a breakdown, in the order the sheet shows them. */
const SIZES = [
  { key: 'micro', header: { en: 'Micro', sv: 'Mikro' } },
  { key: 'small', header: { en: 'Small', sv: 'Små' } },
  { key: 'medium', header: { en: 'Medium', sv: 'Medelstora' } },
  { key: 'large', header: { en: 'Large', sv: 'Stora' } },
] as const;

export const INDICATORS_SHEET_NAME = { en: 'Programme indicators', sv: 'Programindikatorer' } as const;

/**
 * The programme indicators added up (the report's `indicatorTotals`): per definition, a row of the total over the
 * clusters (organisations counted once), its enterprise sizes and the overlap, then a row per cluster with its own
 * value. None when the report has no totals, so that a workbook of clusters that adopted no definition keeps its bytes.
 */
export function indicatorsSheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet | null {
  const items = document.indicatorTotals ?? [];
  if (items.length === 0) return null;
  const { lang } = context;
  const columns = [
    column({ en: 'Code', sv: 'Kod' }, lang, 8),
    column({ en: 'Indicator', sv: 'Indikator' }, lang, 34, 'text', true),
    column({ en: 'Unit', sv: 'Enhet' }, lang, 12),
    column(T.cluster, lang, 22, 'text', true),
    column({ en: 'Value', sv: 'Värde' }, lang, 12, 'number'),
    ...SIZES.map((size) => column(size.header, lang, 7, 'number')),
    column({ en: 'Counted twice', sv: 'Räknade två gånger' }, lang, 9, 'number'),
    column(T.period, lang, 9),
    column({ en: 'Definition id', sv: 'Definitionens id' }, lang, 38),
    column({ en: 'Cluster id', sv: 'Klustrets id' }, lang, 38),
  ];
  const all = { en: 'All clusters', sv: 'Alla kluster' }[lang];
  function* rows(): Generator<WorkbookRow> {
    for (const item of items) {
      const { id, code, name, unit } = item.definition;
      const definition: WorkbookValue[] = [code, name, unit];
      yield { cells: [...definition, all, item.total, ...sizesOf(item), item.overlap, context.period, id, null] };
      for (const c of item.clusters) {
        yield { cells: [...definition, c.clusterName, c.value, ...SIZES.map(() => null), null, context.period, id, c.clusterId] };
      }
    }
  }
  return { name: INDICATORS_SHEET_NAME[lang], intro: [], columns, printed: columns.length - 3, rows: rows() };
}

function sizesOf(item: IndicatorTotalsItem): WorkbookValue[] {
  return SIZES.map((size) => item.byEnterpriseSize?.[size.key] ?? null);
}

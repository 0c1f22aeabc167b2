import { escapeXml } from '../common/text.js';
import { kindNames } from '../plan-item-kinds.js';
import type { ReportLanguage } from '../reports/render/report-languages.js';
import { codeText } from '../reports/render/report-sheet.js';
import type { GridCell, StatusGridResponse } from './dto/status-grid.dto.js';
import type { GridInterval } from './intervals.js';
import type { SubjectKind } from './rhythm.js';

/**
 * Colour, letter and word per light: never colour alone, for readers who do not tell red from green. The letters
 * stay G, Y, R in Swedish too (grön and gul share their first letter); the legend pairs each with its word.
 */
const LIGHTS = {
  green: { fill: '#2e7d32', ink: '#ffffff', letter: 'G' },
  yellow: { fill: '#f9a825', ink: '#212121', letter: 'Y' },
  red: { fill: '#c62828', ink: '#ffffff', letter: 'R' },
} as const;
const EMPTY = { fill: '#eeeeee', ink: '#9e9e9e' };

/** Every word the heat map writes, in each language of the reports. */
const WORDS = {
  en: {
    meaning: { green: 'on track', yellow: 'at risk', red: 'off track' },
    kinds: kindNames('en', 'many'),
    notInPlan: 'not in the plan',
    changes: (n: number) => (n === 1 ? '1 change' : `${n} changes`),
    empty: 'No goals, activities, fruits or risks in this period.',
    legend: 'Legend',
    heading: (subject: string, span: string) => `Traffic lights of ${subject}, ${span}`,
    note: (interval: GridInterval, timeZone: string) =>
      `The light at the end of each ${interval} (${timeZone}), as the history had it then.`,
    desc: 'Each cell is coloured and lettered: G green, Y yellow, R red; grey where the item was not in the plan.',
  },
  sv: {
    meaning: { green: 'enligt plan', yellow: 'risk för avvikelse', red: 'avviker från plan' },
    kinds: kindNames('sv', 'many'),
    notInPlan: 'inte i planen',
    changes: (n: number) => (n === 1 ? '1 ändring' : `${n} ändringar`),
    empty: 'Inga mål, aktiviteter, frukter eller risker under perioden.',
    legend: 'Förklaring',
    heading: (subject: string, span: string) => `Trafikljus för ${subject}, ${span}`,
    note: (interval: GridInterval, timeZone: string) =>
      `Ljuset vid slutet av varje ${interval === 'month' ? 'månad' : 'kvartal'} (${timeZone}), som historiken visade det då.`,
    desc: 'Varje ruta är färgad och har en bokstav: G grön, Y gul, R röd; grå där posten inte fanns i planen.',
  },
} satisfies Record<ReportLanguage, unknown>;

/** An A4 page is about 760 px wide at 96 dpi inside its margins: a year of months fits with room for titles. */
const PAGE_WIDTH = 760;
const LABEL_WIDTH = 250;
const ROW = 20;
const CELL_HEIGHT = 16;
const HEADER = 96;
const FONT = 'font-family="Verdana,DejaVu Sans,Arial,sans-serif"';

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function cellTitle(title: string, column: string, cell: GridCell | null, lang: ReportLanguage): string {
  const words = WORDS[lang];
  if (!cell) return `${title} — ${column}: ${words.notInPlan}`;
  const state = cell.state ? `, ${codeText(cell.state, lang)}` : '';
  return `${title} — ${column}: ${codeText(cell.status, lang)} (${words.meaning[cell.status]})${state}, ${words.changes(cell.changes)}`;
}

/**
 * The status grid as a heat map for a board meeting: rows grouped by cluster
 * and kind, one cell per interval coloured by its light and marked with its
 * letter (G, Y, R), a `<title>` on every cell (shown on hover and read by
 * screen readers), and a legend. About 760 px wide for up to 25 columns, so it
 * prints on A4; every text from users is escaped. In English or Swedish (`lang`).
 */
export function statusGridToSvg(grid: StatusGridResponse, subject: string, lang: ReportLanguage = 'en'): string {
  const words = WORDS[lang];
  const n = grid.columns.length;
  const cellWidth = Math.max(14, Math.min(40, Math.floor((PAGE_WIDTH - LABEL_WIDTH - 10) / Math.max(n, 1))));
  const width = Math.max(PAGE_WIDTH, LABEL_WIDTH + n * cellWidth + 10);
  const maxLabel = Math.floor((LABEL_WIDTH - 24) / 6.4);
  const names = new Map(grid.clusters.map((c) => [c.id, c.name]));
  const body: string[] = [];
  let y = HEADER;

  // Column headings, turned upright so that a label never needs more than its cell's width.
  grid.columns.forEach((c, i) => {
    const x = LABEL_WIDTH + i * cellWidth + cellWidth / 2 + 4;
    body.push(`<text x="${x}" y="${HEADER - 6}" font-size="10" transform="rotate(-90 ${x} ${HEADER - 6})">${escapeXml(c.label)}</text>`);
  });

  let cluster: string | null = null;
  let kind: SubjectKind | null = null;
  for (const row of grid.rows) {
    if (row.clusterId !== cluster) {
      cluster = row.clusterId;
      kind = null;
      y += 6;
      body.push(
        `<text class="cluster" x="4" y="${y + 14}" font-size="13" font-weight="bold">${escapeXml(shorten(names.get(cluster) ?? cluster, 90))}</text>`,
      );
      y += 20;
    }
    if (row.subject.type !== kind) {
      kind = row.subject.type;
      body.push(`<text class="kind" x="10" y="${y + 12}" font-size="10" font-style="italic" fill="#616161">${words.kinds[kind]}</text>`);
      y += 16;
    }
    const title = row.subject.title;
    body.push(
      `<g class="row"><text x="16" y="${y + 12}" font-size="11"><title>${escapeXml(title)}</title>${escapeXml(shorten(title, maxLabel))}</text>`,
    );
    row.cells.forEach((cell, i) => {
      const x = LABEL_WIDTH + i * cellWidth;
      const look = cell ? LIGHTS[cell.status] : EMPTY;
      const letter = cell ? LIGHTS[cell.status].letter : '';
      body.push(
        `<g class="cell" data-status="${cell?.status ?? 'none'}"><title>${escapeXml(cellTitle(title, grid.columns[i].label, cell, lang))}</title>` +
          `<rect x="${x + 1}" y="${y + 1}" width="${cellWidth - 2}" height="${CELL_HEIGHT}" rx="2" fill="${look.fill}"/>` +
          (letter
            ? `<text x="${x + cellWidth / 2}" y="${y + 13}" font-size="10" font-weight="bold" text-anchor="middle" fill="${look.ink}">${letter}</text>`
            : '') +
          `</g>`,
      );
    });
    body.push('</g>');
    y += ROW;
  }
  if (grid.rows.length === 0) {
    body.push(`<text x="4" y="${y + 16}" font-size="12" fill="#616161">${words.empty}</text>`);
    y += 24;
  }

  // The legend: the same swatch, letter and word as the cells.
  y += 14;
  const legend: string[] = [`<g class="legend"><text x="4" y="${y + 12}" font-size="11" font-weight="bold">${words.legend}</text>`];
  let x = 70;
  for (const status of ['green', 'yellow', 'red'] as const) {
    const look = LIGHTS[status];
    legend.push(
      `<g class="legend-item" data-status="${status}"><rect x="${x}" y="${y}" width="18" height="${CELL_HEIGHT}" rx="2" fill="${look.fill}"/>` +
        `<text x="${x + 9}" y="${y + 12}" font-size="10" font-weight="bold" text-anchor="middle" fill="${look.ink}">${look.letter}</text>` +
        `<text x="${x + 24}" y="${y + 12}" font-size="11">${codeText(status, lang)}: ${words.meaning[status]}</text></g>`,
    );
    x += 150;
  }
  legend.push(
    `<g class="legend-item" data-status="none"><rect x="${x}" y="${y}" width="18" height="${CELL_HEIGHT}" rx="2" fill="${EMPTY.fill}"/>` +
      `<text x="${x + 24}" y="${y + 12}" font-size="11">${words.notInPlan}</text></g></g>`,
  );
  y += CELL_HEIGHT + 10;

  const first = grid.columns[0]?.label ?? '';
  const last = grid.columns.at(-1)?.label ?? '';
  const heading = words.heading(shorten(subject, 80), first === last ? first : `${first} – ${last}`);
  const note = words.note(grid.interval, grid.timeZone);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" role="img" aria-labelledby="grid-title grid-desc">` +
    `<title id="grid-title">${escapeXml(heading)}</title>` +
    `<desc id="grid-desc">${escapeXml(note)} ${words.desc}</desc>` +
    `<rect width="${width}" height="${y}" fill="#ffffff"/>` +
    `<g ${FONT} fill="#212121">` +
    `<text x="4" y="18" font-size="14" font-weight="bold">${escapeXml(heading)}</text>` +
    `<text x="4" y="34" font-size="10" fill="#616161">${escapeXml(note)}</text>` +
    body.join('') +
    legend.join('') +
    `</g></svg>`
  );
}

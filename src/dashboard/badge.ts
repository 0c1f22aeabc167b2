import { escapeXml } from '../common/text.js';
import type { StatusCounts } from '../reports/dto/report-counts.dto.js';

const COLOURS = { green: '#2e7d32', yellow: '#f9a825', red: '#c62828' } as const;

/**
 * A small SVG of a cluster's current traffic lights: the name, then a light
 * and a count per colour. Accessible: a title and visible text, not colour
 * alone. The name is escaped, so it can never become markup.
 */
export function renderBadge(name: string, lights: StatusCounts): string {
  const shown = name.length > 40 ? `${name.slice(0, 39)}…` : name;
  const label = `${shown}: ${lights.green} green, ${lights.yellow} yellow, ${lights.red} red`;
  const nameWidth = Math.max(60, Math.round(shown.length * 6.6) + 16);
  const width = nameWidth + 3 * 46;
  const lamps = (['green', 'yellow', 'red'] as const)
    .map((colour, i) => {
      const x = nameWidth + i * 46;
      return (
        `<circle cx="${x + 12}" cy="12" r="7" fill="${COLOURS[colour]}"/>` +
        `<text x="${x + 23}" y="16" font-size="12">${lights[colour]}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="24" viewBox="0 0 ${width} 24" role="img" aria-label="${escapeXml(label)}">` +
    `<title>${escapeXml(label)}</title>` +
    `<rect width="${width}" height="24" rx="4" fill="#f5f5f5" stroke="#bdbdbd"/>` +
    `<g font-family="Verdana,DejaVu Sans,sans-serif" fill="#212121">` +
    `<text x="8" y="16" font-size="12">${escapeXml(shown)}</text>${lamps}</g></svg>`
  );
}

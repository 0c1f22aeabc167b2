/**
 * What Styrman does to every text a client sends, and how it compares names.
 * Invisible characters are the Unicode format characters (category Cf: zero-width
 * space, word joiner, byte-order mark, soft hyphen, bidirectional controls…).
 */

/** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they can make a name read as another. */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

// Trimmed from the ends: whitespace and format characters, but not bidirectional controls, which names refuse outright.
const TRIMMED = String.raw`(?:(?![\u202A-\u202E\u2066-\u2069])[\s\p{Cf}])+`;
const EDGES = new RegExp(`^${TRIMMED}|${TRIMMED}$`, 'gu');
const INVISIBLE = /[\s\p{Cf}]/gu;
const FORMAT = /\p{Cf}/gu;

/** NFC, without whitespace or invisible characters at either end: how every text is stored. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(EDGES, '');
}

/** Nothing but whitespace and invisible characters (or nothing at all). */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/**
 * The form in which two names are the same name: compatibility characters
 * folded (fullwidth, ligatures: NFKC), case folded, invisible characters
 * removed, runs of whitespace made one space. "Findit", "FINDIT ",
 * "Find\u200bit" and "Ｆｉｎｄｉｔ" all fold to "findit".
 */
export function foldName(name: string): string {
  return name.normalize('NFKC').replace(FORMAT, '').toUpperCase().toLowerCase().normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/**
 * The rules above as OpenAPI patterns (ECMAScript regular expressions without flags, which other languages read
 * too): at least one character that is neither whitespace nor invisible, and no control character but tab and line
 * breaks. The invisible characters are those of category Cf in the Basic Multilingual Plane; the few outside it
 * (tag characters, musical formatting) cannot be written in a pattern without the `u` flag, so a text of nothing
 * else is refused by the server while the pattern admits it.
 */
const CONTROLS = String.raw`\u0000-\u0008\u000B\u000C\u000E-\u001F`;
const BIDI = String.raw`\u202A-\u202E\u2066-\u2069`;
const FORMAT_BMP = String.raw`\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB`;

function textPattern(refused: string): string {
  return `^[^${refused}]*[^\\s${refused}${FORMAT_BMP}][^${refused}]*$`;
}

/** A longer text: not blank, no control characters. */
export const TEXT_PATTERN = textPattern(CONTROLS);
/** A name or title: also no bidirectional controls. */
export const NAME_PATTERN = textPattern(`${CONTROLS}${BIDI}`);

/** An English noun with its indefinite article: "an editor key", "an activity", "a funder". By the first letter. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Text made safe inside XML (SVG) markup and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

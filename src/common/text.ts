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

import { foldName, isBlank, normalizeText } from './text.js';

describe('text', () => {
  it('folds look-alike names to one form', () => {
    const forms = ['Findit', 'Findit ', 'Find\u200bit', 'Findit\u00a0', 'Ｆｉｎｄｉｔ', 'FINDIT\u2060', 'Fi\u00adndit'];
    expect(new Set(forms.map(foldName))).toEqual(new Set(['findit']));
    expect(foldName('O\u0308rebro')).toBe(foldName('Örebro'));
    expect(foldName('Process  IT\u2003Innovations')).toBe('process it innovations');
    expect(foldName('Straße')).toBe(foldName('STRASSE'));
    expect(foldName('Findit')).not.toBe(foldName('Findit 2'));
  });

  it('normalises to NFC and trims whitespace and format characters, but keeps bidirectional controls to be refused', () => {
    expect(normalizeText('\ufeff O\u0308rebro \u200b')).toBe('Örebro');
    expect(normalizeText('\u202eX')).toBe('\u202eX');
    expect(normalizeText('a\u200bb')).toBe('a\u200bb');
  });

  it('finds blank texts', () => {
    expect(['', ' ', '\u200b', ' \u2060\u00a0\ufeff\n'].every(isBlank)).toBe(true);
    expect(isBlank('a')).toBe(false);
  });
});

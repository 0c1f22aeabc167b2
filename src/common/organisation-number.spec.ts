import { checkDigit, isOrganisationNumber, luhnValid } from './organisation-number.js';

describe('Swedish organisation numbers', () => {
  it('accepts real numbers of well-known organisations', () => {
    // Volvo AB, Telefonaktiebolaget LM Ericsson, Vinnova, Kungliga Tekniska högskolan.
    for (const n of ['556012-5790', '556016-0680', '202100-5216', '202100-3054']) expect(isOrganisationNumber(n)).toBe(true);
  });

  it('refuses every single-digit change of a valid number, and neighbouring digits swapped', () => {
    const valid = '556012-5790';
    const digits = valid.replace('-', '');
    for (let i = 0; i < 10; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue;
        const changed = `${digits.slice(0, i)}${d}${digits.slice(i + 1)}`;
        expect(isOrganisationNumber(`${changed.slice(0, 6)}-${changed.slice(6)}`)).toBe(false);
      }
    }
    // 5 and 0 swapped (the Luhn check catches every adjacent swap but 0↔9).
    expect(isOrganisationNumber('550612-5790')).toBe(false);
  });

  it('refuses what is not written NNNNNN-NNNN', () => {
    for (const n of [
      '5560125790',
      '556012 5790',
      '556012-579',
      '5560125-790',
      '556012-57900',
      'abcdef-ghij',
      '',
      ' 556012-5790',
      '556012–5790',
    ])
      expect(isOrganisationNumber(n)).toBe(false);
    for (const n of [5560125790, null, undefined, {}, ['556012-5790']]) expect(isOrganisationNumber(n)).toBe(false);
  });

  it('finds the one check digit that completes nine digits', () => {
    for (const nine of ['556012579', '202100521', '000000000', '999999999', '123456789']) {
      const d = checkDigit(nine);
      expect(luhnValid(`${nine}${d}`)).toBe(true);
      expect([...Array(10).keys()].filter((x) => luhnValid(`${nine}${x}`))).toEqual([d]);
    }
  });

  it('weights from the first digit, as for a ten-digit number (not from the right of an odd length)', () => {
    expect(luhnValid('5560125790')).toBe(true);
    expect(luhnValid('x560125790')).toBe(false);
  });
});

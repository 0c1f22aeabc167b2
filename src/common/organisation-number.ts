import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';

/** A Swedish organisationsnummer as written: six digits, a hyphen, four digits. */
export const ORGANISATION_NUMBER_PATTERN = '^\\d{6}-\\d{4}$';
const FORMAT = new RegExp(ORGANISATION_NUMBER_PATTERN);

/**
 * Whether the ten digits pass the Luhn check (the last digit is the check digit of the nine before it): the
 * digits weighted 2, 1, 2, 1, … from the first, each product's digits summed, give a multiple of ten.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const product = Number(digits[i]) * ((digits.length - i) % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return sum % 10 === 0;
}

/** A Swedish organisationsnummer `NNNNNN-NNNN` whose check digit is right. */
export function isOrganisationNumber(value: unknown): value is string {
  return typeof value === 'string' && FORMAT.test(value) && luhnValid(value.replace('-', ''));
}

/** The check digit that makes nine digits a valid number (for demo data and tests). */
export function checkDigit(nine: string): number {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${nine}${d}`)) return d;
  throw new Error(`Not nine digits: ${nine}`);
}

/** A field holding an organisation number: 400 when malformed or when its check digit is wrong. */
export function IsOrganisationNumber(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ pattern: ORGANISATION_NUMBER_PATTERN, example: '556036-0793', minLength: 11, maxLength: 11 }),
    ValidateBy({
      name: 'isOrganisationNumber',
      validator: {
        validate: isOrganisationNumber,
        defaultMessage: () => '$property must be a Swedish organisation number NNNNNN-NNNN with a valid check digit',
      },
    }),
  );
}

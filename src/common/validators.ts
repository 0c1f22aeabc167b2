import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNumber, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';
import { BIDI_CONTROLS, isBlank, NAME_PATTERN, normalizeText, TEXT_PATTERN } from './text.js';

/** Present or absent, but never null (for fields that cannot be cleared). */
export function NotNullIfPresent(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/** No NUL and no other C0 control characters but tab and line breaks: PostgreSQL cannot store NUL. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$/;

/** Every text arrives NFC and trimmed (see text.ts); anything else passes untouched, to be refused by the type check. */
function Normalized(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeText(value) : value));
}

function NotBlank(): PropertyDecorator {
  return ValidateBy({
    name: 'notBlank',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !isBlank(value),
      defaultMessage: () => '$property must not be blank (nor only invisible characters)',
    },
  });
}

/** A name or title: 1–200 characters, not blank, no bidirectional controls. */
export function IsName(max = 200): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 1, pattern: NAME_PATTERN }),
    Normalized(),
    IsString(),
    NotBlank(),
    MaxLength(max),
    Matches(PRINTABLE, { message: '$property must not contain control characters' }),
    ValidateBy({
      name: 'noBidiControls',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !BIDI_CONTROLS.test(value),
        defaultMessage: () => '$property must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069)',
      },
    }),
  );
}

/** A longer text (vision, purpose, description, comment): up to 5 000 characters, not blank. */
export function IsText(max = 5000): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 1, pattern: TEXT_PATTERN }),
    Normalized(),
    IsString(),
    NotBlank(),
    MaxLength(max),
    Matches(PRINTABLE, { message: '$property must not contain control characters' }),
  );
}

/** The days a date filter or a report period may name; outside them is a 400, never clamped. */
export const FIRST_DAY = '1900-01-01';
export const LAST_DAY = '2999-12-31';

/** A calendar date, YYYY-MM-DD, that exists (no 30 February). */
export function IsDateOnly(): PropertyDecorator {
  return ValidateBy({
    name: 'isDateOnly',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
      defaultMessage: () => '$property must be a date as YYYY-MM-DD',
    },
  });
}

/** A day from FIRST_DAY to LAST_DAY as a pattern (a day that does not exist, 30 February, is left to the calendar check). */
export const DAY_IN_RANGE = String.raw`(19\d\d|2\d\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])`;
/** A report period: a year, half or quarter of the years FIRST_DAY to LAST_DAY. */
export const PERIOD_PATTERN = String.raw`^(19\d\d|2\d\d\d)(-(Q[1-4]|H[12]))?$`;

/** A calendar date from FIRST_DAY to LAST_DAY: a filter or period bound, where a far date is a mistake. */
export function IsDateInRange(): PropertyDecorator {
  return applyDecorators(ApiProperty({ pattern: `^${DAY_IN_RANGE}$` }), DateInRange());
}

function DateInRange(): PropertyDecorator {
  return ValidateBy({
    name: 'isDateInRange',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value) && value >= FIRST_DAY && value <= LAST_DAY,
      defaultMessage: () => `$property must be a date as YYYY-MM-DD from ${FIRST_DAY} to ${LAST_DAY}`,
    },
  });
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The largest magnitude of an indicator value or measurement. */
export const MEASURE_LIMIT = 1e12;

/** A finite number of sensible size (indicator values, measurements), documented with its bounds. */
export function IsMeasure(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minimum: -MEASURE_LIMIT, maximum: MEASURE_LIMIT }),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(-MEASURE_LIMIT),
    Max(MEASURE_LIMIT),
    ValidateBy({
      name: 'isMeasure',
      validator: {
        // class-validator's maxDecimalPlaces crashes on numbers written with an exponent, such as 4e-323.
        validate: (value: unknown) => typeof value === 'number' && Math.round(value * 1e6) / 1e6 === value,
        defaultMessage: () => '$property must have at most six decimals',
      },
    }),
  );
}

/** `status` in a PATCH: always refused, pointing to where status changes belong. */
export function StatusForbidden(resource: string): PropertyDecorator {
  return applyDecorators(
    ValidateIf((object: { status?: unknown }) => object.status !== undefined),
    ValidateBy({
      name: 'statusForbidden',
      validator: {
        validate: () => false,
        defaultMessage: () => `status changes only through POST /api/v1/${resource}/{id}/status-updates, with a comment`,
      },
    }),
  );
}

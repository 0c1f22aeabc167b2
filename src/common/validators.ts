import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

/** Present or absent, but never null (for fields that cannot be cleared). */
export function NotNullIfPresent(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/** No NUL and no other C0 control characters but tab and line breaks: PostgreSQL cannot store NUL. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$/;

/** A name or title: 1–200 characters, not only spaces. */
export function IsName(max = 200): PropertyDecorator {
  return applyDecorators(
    IsString(),
    MinLength(1),
    MaxLength(max),
    Matches(/\S/, { message: '$property must not be blank' }),
    Matches(PRINTABLE, { message: '$property must not contain control characters' }),
  );
}

/** A longer text (vision, purpose, description, comment): up to 5 000 characters. */
export function IsText(max = 5000): PropertyDecorator {
  return applyDecorators(IsString(), MaxLength(max), Matches(PRINTABLE, { message: '$property must not contain control characters' }));
}

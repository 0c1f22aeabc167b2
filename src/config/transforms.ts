/** Settings arrive as text: `true`/`1`/`yes`/`on` and their opposites become booleans, anything else stays for the validator to refuse. */
export function toBoolean({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
}

/** Whole numbers written as text become numbers; anything else stays for the validator to refuse. */
export function toInteger({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' || !/^\s*-?\d+\s*$/.test(value)) return value;
  return Number(value);
}

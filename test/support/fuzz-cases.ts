import { type Fixture, fillPath, type OperationInfo, type Parameter, type Schema } from './openapi.js';
import { NAME_PATTERN, TEXT_PATTERN } from '../../src/common/text.js';
import { checkDigit } from '../../src/common/organisation-number.js';

/**
 * The requests the fuzzing suite sends, generated from the OpenAPI document:
 * for each operation one valid request, valid-but-odd variants that must be
 * accepted and read back intact, and hostile variants that must be refused
 * naming the field they broke.
 */

/** What each category of request must do; the suite has one test per category. */
export const CATEGORIES = {
  valid: "each operation's valid request (every field, from the schema) answers the documented 2xx and reads back as sent",
  'query-value': 'every documented value of a query parameter (enums, booleans, bounds, dates, unknown ids) is accepted',
  unicode: 'unicode text (accents, CJK, emoji, quotes, markup, SQL) is accepted and read back intact',
  'max-length': 'text exactly as long as the document allows is accepted and read back intact',
  'boundary-number': 'numbers at the documented bounds (a large one where none is documented) are accepted and read back',
  'nullable-null': 'null for a field the document marks nullable is accepted and read back as null',
  'wrong-type': 'a value of the wrong JSON type is refused naming the field',
  'unknown-field': 'an unknown body field (also inside an object) or query parameter is refused naming it',
  'bad-enum': 'a value outside an enum is refused naming the field',
  'bad-uuid': 'an id that is not a UUID (path, query, body, array item) is refused naming it; an unknown one in a body is a 422 naming it',
  'unknown-id': 'a well-formed path id (or a required query id) that names nothing is a 404 problem',
  'too-long': 'a string one character longer than the document allows is refused naming the field',
  'out-of-range': 'a number or array outside the documented bounds (and Infinity) is refused naming the field',
  'depth-bomb': 'JSON nested 1500 levels (unknown field, whole body) or a 5000-level array (array and number fields) is a 400',
  'far-date':
    '9999-12-31, 0001-01-01, period=9999-Q4 in report and date query parameters are refused naming it; in a body they read back intact unless a documented rule refuses them',
  'invalid-utf8': 'invalid UTF-8 bytes and lone surrogates are a 400, a charset other than utf-8 a 415',
  null: 'null for a field the document does not mark nullable, and an empty limit or offset, is a 400 naming it',
  'body-shape': 'a body that is null, an array, malformed, not JSON or too large is refused',
  'control-char': 'random text with a NUL (fast-check, fixed seed) is refused naming the field',
  'schema-refused':
    "a text the schema's own minLength and pattern refuse (empty, blank, invisible characters only, a control character) is refused naming the field",
} as const;

export type Category = keyof typeof CATEGORIES;
type ValidCategory = 'valid' | 'query-value' | 'unicode' | 'max-length' | 'boundary-number' | 'nullable-null' | 'far-date';
type HostileCategory = Exclude<Category, Exclude<ValidCategory, 'far-date'>>;

export interface FuzzRequest {
  url: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, with `contentType` (default application/json). */
  raw?: string | Buffer;
  contentType?: string;
  /** For an accepted request whose values are made when it is built: what must be read back (path → value). */
  readBack?: [string, unknown][];
}

export type Expectation =
  /** 2xx (the one the document gives) and every field sent (path → value) read back as sent. */
  | { kind: 'accept'; category: ValidCategory; readBack: [string, unknown][] }
  /** A problem with one of `statuses`, naming `field` in `errors[].field`; nothing changed. */
  | { kind: 'refuse'; category: HostileCategory; statuses: number[]; field?: string; alsoField?: string };

export interface FuzzCase {
  label: string;
  expect: Expectation;
  build(fx: Fixture): FuzzRequest;
}

/** A well-formed id that names nothing. */
export const UNKNOWN_UUID = '7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
/** Odd but valid text: accents, CJK, an emoji outside the BMP, quotes, markup and SQL. */
export const UNICODE_TEXT = 'Örebro – Ålö 中文 🌲 "quoted" <b>&amp; \'; DROP TABLE cluster; --';
export const FAR_DATES = ['9999-12-31', '0001-01-01'];

/** Ids by field name: which fixture a uuid field refers to (the document cannot say). */
const ID_FIELDS: Record<string, (fx: Fixture) => string> = {
  clusterId: (fx) => fx.cluster,
  clusterIds: (fx) => fx.cluster,
  goalId: (fx) => fx.goal,
  funderId: (fx) => fx.funder,
  // Only a long-term goal of the same cluster can be contributed to.
  contributesToGoalId: (fx) => fx.longGoal,
  definitionId: (fx) => fx.definition,
};

let uniques = 0;
/** A fresh organisation number with a valid check digit: unique in a cluster, as an actor's must be. */
function uniqueOrganisationNumber(): string {
  const nine = String(556_000_000 + (++uniques % 1_000_000));
  return `${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`;
}

/** Patterned strings whose valid value names the fixture: the report a link is made to. */
const FIXTURE_STRINGS: Record<string, (fx: Fixture) => string> = {
  path: (fx) => `/api/v1/clusters/${fx.cluster}/report?period=2026`,
  // Unique per cluster (actors) and per owner (indicator definitions): a fresh one for every body.
  organisationNumber: () => uniqueOrganisationNumber(),
  code: () => `CODE-${++uniques}`,
};

/** Strings with a pattern and no example: a value of that pattern. */
const PATTERNED: Record<string, string> = { currency: 'EUR', amount: '1500.50' };

/**
 * Rules between fields that the document states only in words. `funderId` is
 * "required for, and only for, `funder`" keys, and the generated key is an
 * editor's (the example role).
 */
const OMIT_FROM_VALID_BODY: Record<string, string[]> = {
  'post /api/v1/api-keys': ['funderId'],
  // A submission names its period by `period` or by `from` and `to`, never both.
  'post /api/v1/clusters/{clusterId}/report-submissions': ['from', 'to'],
  // A webhook's clusters must be ones its key may read: left out, it follows every cluster the key may read.
  'post /api/v1/webhooks': ['clusterIds'],
  // An indicator that adopts a definition takes its unit (another is a 422): the valid goal keeps an indicator of its own.
  'post /api/v1/clusters/{clusterId}/goals': ['indicator.definitionId'],
  'patch /api/v1/goals/{goalId}': ['indicator.definitionId'],
  // Organisations are measured only for an indicator that adopts an organisations definition; the fixture's goal measures a number.
  'post /api/v1/goals/{goalId}/measurements': ['organisations'],
  // Left out, an admin's definition is a common one and a funder key's its own.
  'post /api/v1/indicator-definitions': ['funderId'],
  // The same for a subscription's clusters.
  'post /api/v1/subscriptions': ['clusterIds'],
};

/** Integer query parameters a page answers with, so read back; the others (`minScore`) only filter. */
const ECHOED_QUERY = ['limit', 'offset'];

/** Query parameters that must be set for a valid request, and those that exclude each other. */
/**
 * A valid value of a query parameter: the document gives none (an example would be sent by Swagger UI as a
 * real filter), so dates and periods have theirs here.
 */
const QUERY_VALUES: Record<string, string> = { period: '2026-Q3', from: '2026-07-01', to: '2026-09-30' };
function queryValue(p: Parameter): string {
  return QUERY_VALUES[p.name] ?? (p.schema.format === 'date' ? '2026-06-30' : String(p.schema.example));
}
const QUERY_BASE: Record<string, (p: Parameter) => string> = { period: queryValue };
const QUERY_EXCLUDES: Record<string, { drop: string[]; with: string[] }> = {
  from: { drop: ['period'], with: ['to'] },
  to: { drop: ['period'], with: ['from'] },
};

/** Free text: a string without a format or an enum, whose pattern (if any) is the document's rule for texts. */
function isFreeText(s: Schema): boolean {
  return s.type === 'string' && !s.format && !s.enum && (!s.pattern || s.pattern === TEXT_PATTERN || s.pattern === NAME_PATTERN);
}

/** Texts a hostile client tries against a free-text field. */
const TEXT_CANDIDATES = ['', ' ', '   \t ', '\u200b', '\u00a0\u2060\ufeff', 'a\u0001b', 'x\u001fy', 'a\u202eb', '\u2066x\u2069'];

/** The candidates the schema itself refuses (by its minLength and pattern): each must be refused by the server. */
function refusedBySchema(s: Schema): string[] {
  return TEXT_CANDIDATES.filter((v) => [...v].length < (s.minLength ?? 0) || (s.pattern !== undefined && !new RegExp(s.pattern).test(v)));
}

function isNumeric(s: Schema): boolean {
  return s.type === 'number' || s.type === 'integer' || (s.oneOf ?? []).some((o) => o.type === 'number');
}

let texts = 0;
/** A unique text (names must be unique), at most `max` characters. */
function text(label: string, max = 200): string {
  return `${label} ${++texts}`.slice(-max);
}

/** A valid value for a schema; `name` is the property's name (for ids). */
export function validValue(s: Schema, name: string, fx: Fixture, label: string): unknown {
  if (s.oneOf) return s.example ?? validValue(s.oneOf[0], name, fx, label);
  if (s.enum) return s.default ?? s.example ?? s.enum[0];
  switch (s.type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, validValue(v, k, fx, label)]));
    case 'array':
      return [validValue(s.items!, name, fx, label)];
    case 'number':
    case 'integer':
      return s.example ?? s.default ?? s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'uuid') {
        const id = ID_FIELDS[name];
        if (!id) throw new Error(`no fixture for the uuid field ${name}`);
        return id(fx);
      }
      if (s.format === 'date') return s.example ?? '2026-06-30';
      if (s.format === 'email') return s.example ?? 'anna@example.org';
      if (s.pattern && !isFreeText(s)) {
        const value = FIXTURE_STRINGS[name]?.(fx) ?? s.example ?? PATTERNED[name];
        if (value === undefined) throw new Error(`no value for the patterned field ${name}`);
        return value;
      }
      return text(`${label} ${name}`, s.maxLength);
    default:
      throw new Error(`no value for ${name}: ${JSON.stringify(s)}`);
  }
}

function validBody(op: OperationInfo, fx: Fixture): Record<string, unknown> {
  const body = validValue(op.body!, '', fx, op.operation.operationId) as Record<string, unknown>;
  let valid = body;
  for (const field of OMIT_FROM_VALID_BODY[`${op.method} ${op.path}`] ?? []) valid = withValue(valid, field, undefined);
  return valid;
}

/** Required query parameters that name a resource of the fixture: a comparison of a submission `with` another (itself). */
const QUERY_FIXTURE: Record<string, (fx: Fixture) => string> = { with: (fx) => fx.submission };

/** The query every valid request carries: a report's period, and every required parameter (a comparison's bounds, or `with`). */
function validQuery(op: OperationInfo, fx: Fixture): Record<string, string> {
  return Object.fromEntries(
    op.queryParameters
      .filter((p) => QUERY_BASE[p.name] || p.required)
      .map((p) => [p.name, QUERY_FIXTURE[p.name]?.(fx) ?? (QUERY_BASE[p.name] ?? queryValue)(p)]),
  );
}

/** The operation's valid request on this fixture (a body with every field), with `query` added to its query. */
export function validRequest(op: OperationInfo, fx: Fixture, query: Record<string, string> = {}): FuzzRequest {
  return { url: fillPath(op.path, fx) + queryString({ ...validQuery(op, fx), ...query }), body: op.body ? validBody(op, fx) : undefined };
}

function queryString(query: Record<string, string | undefined>): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v!)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Every field of a body schema, nested ones as `indicator.unit`, with its schema and whether it is required. */
interface Field {
  path: string;
  schema: Schema;
  required: boolean;
}

function fieldsOf(s: Schema, prefix = ''): Field[] {
  return Object.entries(s.properties ?? {}).flatMap(([name, schema]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const field = { path, schema, required: (s.required ?? []).includes(name) };
    return schema.type === 'object' && schema.properties ? [field, ...fieldsOf(schema, path)] : [field];
  });
}

/** A copy of `body` with the value at `path` replaced (`undefined` removes it). */
export function withValue(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    node[key] = { ...(node[key] as object) };
    node = node[key] as Record<string, unknown>;
  }
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return copy;
}

/** The body as JSON text with the value at `path` replaced by raw JSON text (or raw bytes). */
function withRaw(body: Record<string, unknown>, path: string, raw: string | Buffer): string | Buffer {
  const marker = '__FUZZ_MARKER__';
  const json = JSON.stringify(withValue(body, path, marker));
  const [before, after] = json.split(`"${marker}"`);
  return typeof raw === 'string' ? before + raw : Buffer.concat([Buffer.from(before), raw, Buffer.from(after)]);
}

function rawValue(body: Record<string, unknown>, path: string, raw: string): string {
  const marker = '__FUZZ_MARKER__';
  return JSON.stringify(withValue(body, path, marker)).replace(`"${marker}"`, raw);
}

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Wrong-typed values for a schema: a value of every JSON type it does not allow. */
function wrongTypes(s: Schema): unknown[] {
  if (s.oneOf) return [true, { value: 1 }];
  if (s.enum) return [1, ['x']];
  switch (s.type) {
    case 'string':
      return [12345, { value: 'x' }];
    case 'number':
    case 'integer':
      return ['12', true];
    case 'boolean':
      return ['true', 1];
    case 'array':
      return ['x', { value: 'x' }];
    case 'object':
      return ['x', [1]];
    default:
      return [];
  }
}

function show(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 30)}…(${json.length})` : json;
}

/** The cases for one operation: the valid one first (last for a DELETE, which archives what the others use). */
export function casesFor(op: OperationInfo, randomTexts: string[]): FuzzCase[] {
  const name = `${op.method.toUpperCase()} ${op.path}`;
  const cases: FuzzCase[] = [];
  const url = (fx: Fixture, query?: Record<string, string | undefined>, path?: { name: string; value: string }) =>
    fillPath(op.path, fx, path) + queryString(query ?? validQuery(op, fx));
  const accept = (category: ValidCategory, label: string, readBack: [string, unknown][], build: FuzzCase['build']) =>
    cases.push({ label: `${name} ${label}`, expect: { kind: 'accept', category, readBack }, build });
  const refuse = (
    category: HostileCategory,
    label: string,
    field: string | undefined,
    build: FuzzCase['build'],
    statuses = [400],
    alsoField?: string,
  ) => cases.push({ label: `${name} ${label}`, expect: { kind: 'refuse', category, statuses, field, alsoField }, build });

  const valid: FuzzCase = {
    label: `${name} valid`,
    expect: { kind: 'accept', category: 'valid', readBack: [] },
    build: (fx) => ({ url: url(fx), body: op.body ? validBody(op, fx) : undefined }),
  };

  // Path parameters: not a UUID, too long, and well-formed but unknown.
  for (const p of op.pathParameters) {
    refuse('bad-uuid', `path ${p.name}=not-a-uuid`, p.name, (fx) => ({
      url: url(fx, undefined, { name: p.name, value: 'not-a-uuid' }),
      body: op.body ? validBody(op, fx) : undefined,
    }));
    refuse('too-long', `path ${p.name}=37 characters`, p.name, (fx) => ({
      url: url(fx, undefined, { name: p.name, value: `${fx.cluster}0` }),
      body: op.body ? validBody(op, fx) : undefined,
    }));
    // A path parameter that is no id (a narrative's period) names nothing unknown: a period without a narrative is simply empty.
    if (p.schema.format !== 'uuid') continue;
    refuse(
      'unknown-id',
      `path ${p.name}=unknown`,
      undefined,
      (fx) => ({ url: url(fx, undefined, { name: p.name, value: UNKNOWN_UUID }), body: op.body ? validBody(op, fx) : undefined }),
      [404],
    );
  }

  // Query parameters.
  const query = (p: Parameter, value: string | undefined, fx: Fixture) => {
    const q: Record<string, string | undefined> = { ...validQuery(op, fx), [p.name]: value };
    const rule = QUERY_EXCLUDES[p.name];
    if (rule) {
      for (const d of rule.drop) delete q[d];
      for (const w of rule.with) {
        const partner = op.queryParameters.find((x) => x.name === w)!;
        q[w] ??= queryValue(partner);
      }
    }
    return q;
  };
  for (const p of op.queryParameters) {
    const s = p.schema;
    const q = (value: string | undefined) => (fx: Fixture) => ({ url: url(fx, query(p, value, fx)) });
    if (s.type === 'integer') {
      for (const v of [s.minimum, s.maximum].filter((v) => v !== undefined))
        accept(
          'query-value',
          `query ${p.name}=${v}`,
          // The events feed pages by cursor: its body is { items, next }, with no limit or offset to echo.
          ECHOED_QUERY.includes(p.name) && !name.endsWith(' /api/v1/events') ? [[`query.${p.name}`, v]] : [],
          q(String(v)),
        );
      refuse('out-of-range', `query ${p.name}=${s.minimum! - 1}`, p.name, q(String(s.minimum! - 1)));
      if (s.maximum !== undefined) refuse('out-of-range', `query ${p.name}=${s.maximum + 1}`, p.name, q(String(s.maximum + 1)));
      refuse('wrong-type', `query ${p.name}=abc`, p.name, q('abc'));
      refuse('wrong-type', `query ${p.name}=1.5`, p.name, q('1.5'));
      refuse('null', `query ${p.name}= (empty)`, p.name, q(''));
    } else if (s.type === 'boolean') {
      for (const v of ['true', 'false']) accept('query-value', `query ${p.name}=${v}`, [], q(v));
      refuse('wrong-type', `query ${p.name}=maybe`, p.name, q('maybe'));
    } else if (s.enum) {
      for (const v of s.enum) accept('query-value', `query ${p.name}=${String(v)}`, [], q(String(v)));
      refuse('bad-enum', `query ${p.name}=not-a-value`, p.name, q('not-a-value'));
    } else if (s.format === 'uuid') {
      // A filter by an unknown id finds nothing (200); a required id that names nothing is a 404.
      if (p.required) refuse('unknown-id', `query ${p.name}=unknown id`, undefined, q(UNKNOWN_UUID), [404]);
      else accept('query-value', `query ${p.name}=unknown id`, [], q(UNKNOWN_UUID));
      refuse('bad-uuid', `query ${p.name}=not-a-uuid`, p.name, q('not-a-uuid'));
      refuse('too-long', `query ${p.name}=37 characters`, p.name, q(`${UNKNOWN_UUID}0`));
    } else if (s.format === 'date' || ['from', 'to'].includes(p.name)) {
      accept('query-value', `query ${p.name}=${queryValue(p)}`, [], q(queryValue(p)));
      for (const d of FAR_DATES) refuse('far-date', `query ${p.name}=${d}`, p.name, q(d));
      refuse('wrong-type', `query ${p.name}=2026-02-30`, p.name, q('2026-02-30'));
      refuse('too-long', `query ${p.name}=${s.maxLength! + 1} characters`, p.name, q('2026-01-01'.padEnd(s.maxLength! + 1, '0')));
    } else if (p.name === 'asOf') {
      // An instant, not in the future: now is valid whenever the request is made (the fixtures exist by then).
      accept('query-value', 'query asOf=now', [], (fx) => ({ url: url(fx, query(p, new Date().toISOString(), fx)) }));
      for (const d of FAR_DATES) refuse('far-date', `query asOf=${d}`, p.name, q(d));
      refuse('wrong-type', 'query asOf=2026-02-30', p.name, q('2026-02-30'));
      refuse('too-long', `query asOf=${s.maxLength! + 1} characters`, p.name, q('2026-01-01'.padEnd(s.maxLength! + 1, '0')));
    } else if (p.name === 'knownAt') {
      // The moment a report is known at: after its period (valid once the period has ended), not in the future.
      accept('query-value', 'query knownAt=now', [], (fx) => ({
        url: url(fx, { ...query(p, new Date().toISOString(), fx), period: String(new Date().getUTCFullYear() - 1) }),
      }));
      for (const d of FAR_DATES) refuse('far-date', `query knownAt=${d}`, p.name, q(d));
      refuse('wrong-type', 'query knownAt=2026-02-30', p.name, q('2026-02-30'));
      refuse('too-long', `query knownAt=${s.maxLength! + 1} characters`, p.name, q('2026-01-01'.padEnd(s.maxLength! + 1, '0')));
    } else if (p.name === 'after') {
      // The events feed's cursor: `<xid>_<position>`.
      accept('query-value', 'query after=0_0', [], q('0_0'));
      refuse('wrong-type', 'query after=42', p.name, q('42'));
      refuse('too-long', `query after=${s.maxLength! + 1} characters`, p.name, q('1_'.padEnd(s.maxLength! + 1, '1')));
    } else if (p.name === 'types') {
      // Event types, comma-separated.
      accept('query-value', 'query types=goal.created,measurement.recorded', [], q('goal.created,measurement.recorded'));
      refuse('bad-enum', 'query types=goal.exploded', p.name, q('goal.exploded'));
    } else if (p.name === 'period') {
      for (const v of ['2026', '2026-H2', '2026-Q1']) accept('query-value', `query period=${v}`, [], q(v));
      for (const v of ['9999-Q4', '9999-H2', '9999', '0001']) refuse('far-date', `query period=${v}`, p.name, q(v));
      refuse('wrong-type', 'query period=2026-Q5', p.name, q('2026-Q5'));
      refuse('too-long', `query period=${s.maxLength! + 1} characters`, p.name, q('2026-Q1'.padEnd(s.maxLength! + 1, '1')));
    } else if (isFreeText(s)) {
      accept('unicode', `query ${p.name}=unicode`, [], q(UNICODE_TEXT));
      for (const v of refusedBySchema(s)) refuse('schema-refused', `query ${p.name}=${JSON.stringify(v)}`, p.name, q(v));
      accept('max-length', `query ${p.name}=${s.maxLength} characters`, [], q('q'.repeat(s.maxLength!)));
      refuse('too-long', `query ${p.name}=${s.maxLength! + 1} characters`, p.name, q('q'.repeat(s.maxLength! + 1)));
    } else {
      throw new Error(`${name}: no fuzzing for query ${p.name} ${JSON.stringify(s)}`);
    }
  }
  if (op.queryParameters.length > 0) {
    refuse('unknown-field', 'query unexpectedParameter=1', 'unexpectedParameter', (fx) => ({
      url: url(fx, { ...validQuery(op, fx), unexpectedParameter: '1' }),
    }));
  }

  // The body, field by field.
  if (op.body) {
    const body = (fx: Fixture) => validBody(op, fx);
    const set = (path: string, value: unknown) => (fx: Fixture) => ({ url: url(fx), body: withValue(body(fx), path, value) });
    const setRaw = (path: string, raw: string) => (fx: Fixture) => ({ url: url(fx), raw: rawValue(body(fx), path, raw) });
    const fields = fieldsOf(op.body);
    const dateFields = fields.filter((f) => f.schema.format === 'date' && !f.path.includes('.'));

    for (const { path, schema: s, required } of fields) {
      const top = path.split('.')[0];
      for (const v of wrongTypes(s)) refuse('wrong-type', `body.${path}=${show(v)}`, path, set(path, v));

      // null: accepted and read back as null where the document says nullable; a 400 naming the field everywhere else.
      if (s.nullable) accept('nullable-null', `body.${path}=null`, [[path, null]], set(path, null));
      else refuse('null', `body.${path}=null${required ? ' (required)' : ''}`, path, set(path, null));

      if (s.enum) refuse('bad-enum', `body.${path}="not-a-value"`, path, set(path, 'not-a-value'));

      if (s.type === 'string' && s.format === 'uuid') {
        refuse('bad-uuid', `body.${path}="not-a-uuid"`, path, set(path, 'not-a-uuid'));
        refuse('too-long', `body.${path}=37 characters`, path, (fx) => ({
          url: url(fx),
          body: withValue(body(fx), path, `${fx.cluster}0`),
        }));
        refuse(
          'bad-uuid',
          `body.${path}=unknown id`,
          path,
          set(path, UNKNOWN_UUID),
          [422], // well-formed but naming nothing: a broken rule, not malformed input
        );
      }
      if (s.type === 'array') {
        const item = s.items!;
        if (item.format === 'uuid') {
          refuse('bad-uuid', `body.${path}=["not-a-uuid"]`, path, set(path, ['not-a-uuid']));
          refuse('too-long', `body.${path}=[37 characters]`, path, (fx) => ({
            url: url(fx),
            body: withValue(body(fx), path, [`${fx.cluster}0`]),
          }));
        }
        refuse('wrong-type', `body.${path}=[12345]`, path, set(path, [12345]));
        if (s.uniqueItems)
          refuse('out-of-range', `body.${path}=[id, id]`, path, (fx) => ({
            url: url(fx),
            // The same item twice: an id of the fixture, or an enum's first value (a webhook's types).
            body: withValue(body(fx), path, ID_FIELDS[top] ? [ID_FIELDS[top](fx), ID_FIELDS[top](fx)] : [item.enum![0], item.enum![0]]),
          }));
        if (s.maxItems !== undefined)
          refuse('out-of-range', `body.${path}=${s.maxItems + 1} items`, path, (fx) => ({
            url: url(fx),
            body: withValue(
              body(fx),
              path,
              Array.from({ length: s.maxItems! + 1 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
            ),
          }));
      }
      if (s.type === 'array' || isNumeric(s)) {
        refuse('depth-bomb', `body.${path}=array nested 5000 deep`, path, setRaw(path, nested(5000, '[', ']', '1')), [400], 'body');
      }

      if (isFreeText(s)) {
        accept('unicode', `body.${path}=unicode`, [], (fx) => {
          const value = `${UNICODE_TEXT} ${++texts}`.slice(-(s.maxLength ?? 200));
          return { url: url(fx), body: withValue(body(fx), path, value), readBack: [[path, value]] };
        });
        if (s.maxLength !== undefined) {
          // Unique (names must be), and exactly as long as the document allows.
          accept('max-length', `body.${path}=${s.maxLength} characters`, [], (fx) => {
            const value = `${++texts} `.padEnd(s.maxLength!, 'x');
            return { url: url(fx), body: withValue(body(fx), path, value), readBack: [[path, value]] };
          });
          refuse('too-long', `body.${path}=${s.maxLength + 1} characters`, path, set(path, 'x'.repeat(s.maxLength + 1)));
        }
        refuse(
          'invalid-utf8',
          `body.${path}=invalid UTF-8 bytes`,
          path,
          (fx) => ({
            url: url(fx),
            raw: withRaw(body(fx), path, Buffer.from([0x22, 0x61, 0xc3, 0x28, 0xff, 0x62, 0x22])),
          }),
          [400],
          'body',
        );
        for (const value of randomTexts) refuse('control-char', `body.${path}=${show(value)}`, path, set(path, value));
        for (const value of refusedBySchema(s)) refuse('schema-refused', `body.${path}=${JSON.stringify(value)}`, path, set(path, value));
        refuse('invalid-utf8', `body.${path}=lone surrogate`, path, setRaw(path, '"a\\ud800b"'), [400], 'body');
      } else if (s.type === 'string' && s.maxLength !== undefined && !s.enum) {
        refuse('too-long', `body.${path}=${s.maxLength + 1} characters`, path, set(path, '1'.repeat(s.maxLength + 1)));
      }
      if (s.type === 'string' && s.format === 'date') refuse('wrong-type', `body.${path}="2026-02-30"`, path, set(path, '2026-02-30'));

      if (isNumeric(s)) {
        const number = s.oneOf?.find((o) => o.type === 'number') ?? s;
        const text = s.oneOf?.find((o) => o.type === 'string');
        if (number.minimum !== undefined) {
          accept('boundary-number', `body.${path}=${number.minimum}`, [[path, number.minimum]], set(path, number.minimum));
          refuse('out-of-range', `body.${path}=${number.minimum - 0.01}`, path, set(path, number.minimum - 0.01));
        } else {
          accept('boundary-number', `body.${path}=-123456.75`, [[path, -123456.75]], set(path, -123456.75));
        }
        if (number.maximum !== undefined) {
          accept('boundary-number', `body.${path}=${number.maximum}`, [[path, number.maximum]], set(path, number.maximum));
          refuse('out-of-range', `body.${path}=${number.maximum + 1}`, path, set(path, number.maximum + 1));
        } else {
          // No maximum documented: a large number must be taken as it is.
          accept('boundary-number', `body.${path}=1e15 (no maximum documented)`, [[path, 1e15]], set(path, 1e15));
        }
        if (text?.pattern === '^\\d{1,13}(\\.\\d{1,2})?$') {
          accept('boundary-number', `body.${path}="9999999999999.99"`, [[path, '9999999999999.99']], set(path, '9999999999999.99'));
          refuse('out-of-range', `body.${path}="10000000000000.00"`, path, set(path, '10000000000000.00'));
        }
        refuse('out-of-range', `body.${path}=1e999 (Infinity)`, path, setRaw(path, '1e999'));
      }
    }

    // Far dates: every date of the body at once (so "on or after" rules between them still hold); a date that
    // the document says may not be in the future is refused far in the future.
    if (dateFields.length > 0) {
      for (const d of FAR_DATES) {
        const future = dateFields.find((f) => d > '3000' && /not in the future/.test(f.schema.description ?? ''));
        const build = (fx: Fixture) => ({
          url: url(fx),
          body: dateFields.reduce((b, f) => withValue(b, f.path, d), body(fx)),
        });
        const label = `body.{${dateFields.map((f) => f.path).join(',')}}=${d}`;
        if (future) refuse('far-date', label, future.path, build, [422]);
        else
          accept(
            'far-date',
            label,
            dateFields.map((f) => [f.path, d]),
            build,
          );
      }
    }

    // Unknown fields, at the top and inside objects.
    refuse('unknown-field', 'body.unexpectedField', 'unexpectedField', (fx) => ({
      url: url(fx),
      body: { ...body(fx), unexpectedField: 1 },
    }));
    for (const f of fields.filter((f) => f.schema.type === 'object' && f.schema.properties)) {
      refuse('unknown-field', `body.${f.path}.unexpectedField`, `${f.path}.unexpectedField`, (fx) => {
        const b = body(fx);
        return { url: url(fx), body: withValue(b, `${f.path}.unexpectedField`, 1) };
      });
    }

    // Depth bombs: JSON nested 1500 levels in an unknown field, and as the whole body.
    refuse(
      'depth-bomb',
      'body.unexpectedDeep=object nested 1500 deep',
      'body',
      (fx) => ({ url: url(fx), raw: JSON.stringify(body(fx)).replace(/}$/, `,"unexpectedDeep":${nested(1500, '{"a":', '}', '1')}}`) }),
      [400],
      'unexpectedDeep',
    );
    refuse('depth-bomb', 'body=array nested 1500 deep', 'body', (fx) => ({ url: url(fx), raw: nested(1500, '[', ']', '') }));

    // The body as a whole.
    refuse('body-shape', 'body=null', 'body', (fx) => ({ url: url(fx), raw: 'null' }));
    refuse('body-shape', 'body=[valid body]', 'body', (fx) => ({ url: url(fx), raw: JSON.stringify([body(fx)]) }));
    refuse(
      'body-shape',
      'body of 2 MB (over BODY_LIMIT_BYTES)',
      undefined,
      (fx) => ({ url: url(fx), body: { ...body(fx), padding: 'x'.repeat(2 * 1024 * 1024) } }),
      [413],
    );
    refuse('body-shape', 'body=malformed JSON', 'body', (fx) => ({ url: url(fx), raw: '{"a": ' }));
    refuse(
      'body-shape',
      'body as text/plain',
      'header.Content-Type',
      (fx) => ({ url: url(fx), raw: JSON.stringify(body(fx)), contentType: 'text/plain' }),
      [415],
    );
    refuse(
      'invalid-utf8',
      'body with charset=iso-8859-1',
      'header.Content-Type',
      (fx) => ({ url: url(fx), raw: JSON.stringify(body(fx)), contentType: 'application/json; charset=iso-8859-1' }),
      [415],
    );
  }

  return op.method === 'delete' ? [...cases, valid] : [valid, ...cases];
}

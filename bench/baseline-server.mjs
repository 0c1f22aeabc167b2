#!/usr/bin/env node
// The "limit" the service is compared to: plain Fastify + pg, no Nest, no TypeORM, no validation
// framework, answering the benchmark's requests with the same SQL statements the service sends
// (copied from what PostgreSQL logs for the service with log_statement = all) and the same JSON.
//
//   DATABASE_URL=postgres://… PORT=3001 node bench/baseline-server.mjs
//
//   GET  /api/v1/activities/:activityId                  (src/plan-items/plan-items.service.ts get)
//   GET  /api/v1/clusters/:clusterId/goals?limit=&offset= (src/clusters/clusters.service.ts get,
//                                                          src/goals/goals.service.ts list)
//   POST /api/v1/activities/:activityId/status-updates    (src/plan-items/plan-items.service.ts changeStatus)
//   GET  /health
//
// Authentication as src/auth/auth.service.ts does it: SHA-256 of the key, looked up by secret_hash,
// resolved keys cached for 5 s. Same pool size (DB_POOL_SIZE, default 10) and pool options as
// src/database/data-source-options.ts. Dates ('date' columns) stay strings, as in the app.
import Fastify from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import pg from 'pg';

pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const PORT = Number(process.env.PORT ?? 3001);
const HOST = process.env.HOST ?? '127.0.0.1';
const TIME_ZONE = process.env.REPORT_TIME_ZONE ?? 'Europe/Stockholm';
const KEY_CACHE_TTL_MS = 5_000;

const pool = new pg.Pool({
  connectionString: DATABASE_URL,
  max: Number(process.env.DB_POOL_SIZE ?? 10),
  connectionTimeoutMillis: 2000,
  idleTimeoutMillis: 30000,
  statement_timeout: 30000,
  query_timeout: 35000,
  keepAlive: true,
  application_name: 'styrman-baseline',
});

// ------------------------------------------------------------------ SQL, as the service sends it

const SQL_API_KEY =
  'SELECT "ApiKey"."id" AS "ApiKey_id", "ApiKey"."name" AS "ApiKey_name", "ApiKey"."role" AS "ApiKey_role", "ApiKey"."prefix" AS "ApiKey_prefix", ' +
  '"ApiKey"."secret_hash" AS "ApiKey_secret_hash", "ApiKey"."cluster_ids" AS "ApiKey_cluster_ids", "ApiKey"."funder_id" AS "ApiKey_funder_id", ' +
  '"ApiKey"."created_at" AS "ApiKey_created_at", "ApiKey"."revoked_at" AS "ApiKey_revoked_at" FROM "api_key" "ApiKey" WHERE (("ApiKey"."secret_hash" = $1)) LIMIT 1';

const ACTIVITY_COLUMNS =
  'SELECT "i"."version" AS "i_version", "i"."created_at" AS "i_created_at", "i"."updated_at" AS "i_updated_at", "i"."archived_at" AS "i_archived_at", ' +
  '"i"."id" AS "i_id", "i"."cluster_id" AS "i_cluster_id", "i"."title" AS "i_title", "i"."description" AS "i_description", "i"."owner" AS "i_owner", ' +
  '"i"."goal_id" AS "i_goal_id", "i"."start_date" AS "i_start_date", "i"."due_date" AS "i_due_date", "i"."state" AS "i_state", "i"."status" AS "i_status", ' +
  '"i"."completed_at" AS "i_completed_at" FROM "activity" "i" WHERE "i"."id" = $1 AND ';

const CLUSTER_COLUMNS =
  'SELECT "c"."version" AS "c_version", "c"."created_at" AS "c_created_at", "c"."updated_at" AS "c_updated_at", "c"."archived_at" AS "c_archived_at", ' +
  '"c"."id" AS "c_id", "c"."name" AS "c_name", "c"."region" AS "c_region", "c"."phase" AS "c_phase", "c"."focus_area" AS "c_focus_area", ' +
  '"c"."vision" AS "c_vision", "c"."purpose" AS "c_purpose", "c"."public_badge" AS "c_public_badge" FROM "cluster" "c" WHERE "c"."id" = $1 AND ';

const SELECT_GOALS = `
  SELECT g.*, lm.value AS latest_value, lm.measured_on AS latest_measured_on,
         ARRAY(SELECT c.id FROM goal c
               WHERE c.contributes_to_goal_id = g.id AND c.archived_at IS NULL
               ORDER BY c.created_at, c.id) AS contributing_goal_ids,
         count(*) OVER () AS total_count
  FROM goal g
  LEFT JOIN LATERAL (
    SELECT m.value, m.measured_on FROM measurement m
    WHERE m.goal_id = g.id
    ORDER BY m.measured_on DESC, m.created_at DESC
    LIMIT 1
  ) lm ON true`;

const LOCK_ACTIVITY =
  'SELECT i.*, c.archived_at IS NOT NULL AS cluster_archived FROM activity i JOIN cluster c ON c.id = i.cluster_id WHERE i.id = $1 AND ';

/** src/revisions/record.ts recordRevision: the row as written, appended to the revisions in the same transaction. */
const INSERT_REVISION = `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, author_key_id, recorded_at)
     SELECT pg_current_xact_id()::text::bigint, $1, t.id, t.cluster_id, t.version, $2, to_jsonb(t), $3, $4,
            date_trunc('milliseconds', clock_timestamp())
     FROM "activity" t WHERE t.id = $5
     RETURNING position`;

const INSERT_STATUS_UPDATE =
  'INSERT INTO "status_update"("id", "seq", "subject_type", "subject_id", "cluster_id", "status", "state", "comment", "author", "author_key_id", "created_at") ' +
  'VALUES (DEFAULT, DEFAULT, $1, $2, $3, $4, $5, $6, $7, $8, DEFAULT) RETURNING "id", "seq", "created_at"';

/** src/auth/access.ts readableClusters, with positional parameters starting at `next`. */
function readableClusters(caller, column, next) {
  switch (caller.role) {
    case 'admin':
    case 'viewer':
      return { sql: 'TRUE', params: [] };
    case 'editor':
      return { sql: `${column} = ANY($${next})`, params: [caller.clusterIds] };
    case 'funder':
      return {
        sql: `${column} IN (SELECT fv.cluster_id FROM funding fv WHERE fv.funder_id = $${next} AND fv.archived_at IS NULL)`,
        params: [caller.funderId],
      };
    default:
      throw new Error(`unknown role ${caller.role}`);
  }
}

// ------------------------------------------------------------------ helpers

class HttpError extends Error {
  constructor(status, type, detail) {
    super(detail);
    this.status = status;
    this.type = type;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function uuidParam(value, name) {
  if (typeof value !== 'string' || !UUID.test(value)) throw new HttpError(400, 'validation', `${name} must be a UUID`);
  return value;
}

const todayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const today = () => todayFormat.format(new Date());
const isOverdue = (due, state, day) => due !== null && due < day && (state === 'planned' || state === 'ongoing');
const isoOrNull = (d) => (d ? d.toISOString() : null);

function progressPercent(baseline, target, latest) {
  if (latest === null || baseline === target) return null;
  return Math.round(((latest - baseline) / (target - baseline)) * 100 * 10) / 10;
}

// ------------------------------------------------------------------ authentication (cached 5 s)

const keyCache = new Map();

function extractKey(headers) {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header.trim() : undefined;
}

async function authenticate(request) {
  const secret = extractKey(request.headers);
  if (!secret || secret.length > 200) throw new HttpError(401, 'unauthorized', 'A valid API key is required.');
  const hash = createHash('sha256').update(secret, 'utf8').digest();
  const cacheKey = hash.toString('base64');
  const cached = keyCache.get(cacheKey);
  if (cached && cached.expiresAt > Date.now()) return cached.caller;
  const { rows } = await pool.query(SQL_API_KEY, [hash]);
  const key = rows[0];
  if (!key || key.ApiKey_revoked_at || !timingSafeEqual(key.ApiKey_secret_hash, hash)) {
    keyCache.delete(cacheKey);
    throw new HttpError(401, 'unauthorized', 'A valid API key is required.');
  }
  const caller = {
    keyId: key.ApiKey_id,
    name: key.ApiKey_name,
    role: key.ApiKey_role,
    clusterIds: key.ApiKey_cluster_ids,
    funderId: key.ApiKey_funder_id,
  };
  if (keyCache.size >= 10_000) keyCache.clear();
  keyCache.set(cacheKey, { caller, expiresAt: Date.now() + KEY_CACHE_TTL_MS });
  return caller;
}

// ------------------------------------------------------------------ responses

function activityResponse(r, day) {
  return {
    id: r.i_id,
    clusterId: r.i_cluster_id,
    title: r.i_title,
    description: r.i_description,
    owner: r.i_owner,
    goalId: r.i_goal_id,
    startDate: r.i_start_date,
    dueDate: r.i_due_date,
    state: r.i_state,
    status: r.i_status,
    overdue: isOverdue(r.i_due_date, r.i_state, day),
    completedAt: isoOrNull(r.i_completed_at),
    version: r.i_version,
    createdAt: r.i_created_at.toISOString(),
    updatedAt: r.i_updated_at.toISOString(),
    archivedAt: isoOrNull(r.i_archived_at),
  };
}

/** The row of `UPDATE … RETURNING *` (plain column names) as the prefixed row of the SELECT. */
const prefixed = (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [`i_${k}`, v]));

function goalResponse(g) {
  const indicator =
    g.indicator_unit !== null && g.indicator_baseline !== null && g.indicator_target !== null
      ? {
          unit: g.indicator_unit,
          baseline: Number(g.indicator_baseline),
          target: Number(g.indicator_target),
          milestones: (g.indicator_milestones ?? []).map((m) => ({ on: m.on, target: m.target })),
        }
      : null;
  const latest =
    g.latest_value !== null && g.latest_measured_on !== null ? { value: Number(g.latest_value), measuredOn: g.latest_measured_on } : null;
  return {
    id: g.id,
    clusterId: g.cluster_id,
    title: g.title,
    description: g.description,
    horizon: g.horizon,
    perspective: g.perspective,
    contributesToGoalId: g.contributes_to_goal_id,
    contributingGoalIds: g.contributing_goal_ids,
    dueDate: g.due_date,
    indicator,
    latestMeasurement: latest,
    progressPercent: indicator ? progressPercent(indicator.baseline, indicator.target, latest?.value ?? null) : null,
    status: g.status,
    version: g.version,
    createdAt: g.created_at.toISOString(),
    updatedAt: g.updated_at.toISOString(),
    archivedAt: isoOrNull(g.archived_at),
  };
}

function intQuery(value, name, fallback, min, max) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, 'validation', `${name} must be an integer from ${min} to ${max}`);
  return n;
}

// ------------------------------------------------------------------ the server

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.setErrorHandler((error, request, reply) => {
  const status = error instanceof HttpError ? error.status : (error.statusCode ?? 500);
  if (status >= 500) console.error(error);
  void reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `about:blank#${error.type ?? 'error'}`, status, detail: status >= 500 ? 'Internal error' : error.message });
});

app.get('/health', async () => ({ status: 'ok' }));

app.get('/api/v1/activities/:activityId', async (request, reply) => {
  const caller = await authenticate(request);
  const id = uuidParam(request.params.activityId, 'activityId');
  const visible = readableClusters(caller, '"i"."cluster_id"', 2);
  const { rows } = await pool.query(ACTIVITY_COLUMNS + visible.sql, [id, ...visible.params]);
  if (rows.length === 0) throw new HttpError(404, 'not-found', 'The activity does not exist.');
  const body = activityResponse(rows[0], today());
  const etag = `"${body.version}"`;
  void reply.header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return body;
});

app.get('/api/v1/clusters/:clusterId/goals', async (request) => {
  const caller = await authenticate(request);
  const clusterId = uuidParam(request.params.clusterId, 'clusterId');
  const limit = intQuery(request.query.limit, 'limit', 50, 1, 200);
  const offset = intQuery(request.query.offset, 'offset', 0, 0, 1_000_000_000);
  const visible = readableClusters(caller, '"c"."id"', 2);
  const cluster = await pool.query(CLUSTER_COLUMNS + visible.sql, [clusterId, ...visible.params]);
  if (cluster.rows.length === 0) throw new HttpError(404, 'not-found', 'The cluster does not exist.');
  const { rows } = await pool.query(
    `${SELECT_GOALS} WHERE g.cluster_id = $1 AND g.archived_at IS NULL
       ORDER BY g.created_at ASC NULLS LAST, g.id LIMIT $2 OFFSET $3`,
    [clusterId, limit, offset],
  );
  let total = rows.length > 0 ? Number(rows[0].total_count) : 0;
  if (rows.length === 0 && offset > 0) {
    const counted = await pool.query('SELECT count(*) AS n FROM goal g WHERE g.cluster_id = $1 AND g.archived_at IS NULL', [clusterId]);
    total = Number(counted.rows[0].n);
  }
  return { items: rows.map(goalResponse), total, limit, offset };
});

const STATUSES = new Set(['green', 'yellow', 'red']);
const STATES = new Set(['planned', 'ongoing', 'done', 'cancelled']);

app.post('/api/v1/activities/:activityId/status-updates', async (request, reply) => {
  const caller = await authenticate(request);
  const id = uuidParam(request.params.activityId, 'activityId');
  const dto = request.body;
  if (!dto || typeof dto !== 'object' || !STATUSES.has(dto.status)) throw new HttpError(400, 'validation', 'status must be green, yellow or red');
  if (dto.state !== undefined && !STATES.has(dto.state)) throw new HttpError(400, 'validation', 'state must be an item state');
  if (dto.comment !== undefined && (typeof dto.comment !== 'string' || dto.comment.length > 5000)) throw new HttpError(400, 'validation', 'comment must be a text');
  if (dto.status !== 'green' && !dto.comment?.trim()) throw new HttpError(422, 'rule', `A ${dto.status} status needs a comment.`);

  const client = await pool.connect();
  let done = false;
  try {
    await client.query('START TRANSACTION');
    const visible = readableClusters(caller, 'i.cluster_id', 2);
    const { rows } = await client.query(`${LOCK_ACTIVITY}${visible.sql} FOR UPDATE OF i FOR SHARE OF c`, [id, ...visible.params]);
    const locked = rows[0];
    if (!locked) throw new HttpError(404, 'not-found', 'The activity does not exist.');
    const current = Object.fromEntries(Object.entries(locked).map(([column, value]) => [`i_${column}`, value]));
    const writable = caller.role === 'admin' || (caller.role === 'editor' && caller.clusterIds.includes(current.i_cluster_id));
    if (!writable) throw new HttpError(403, 'forbidden', `A ${caller.role} key may read this cluster's plan but not change it.`);
    if (locked.cluster_archived) throw new HttpError(409, 'conflict', 'The cluster is archived; everything in it is read-only.');
    if (current.i_archived_at) throw new HttpError(409, 'conflict', 'The activity is archived; archived items are read-only.');

    const state = dto.state ?? current.i_state;
    const sets = ['"status" = $1'];
    const params = [dto.status];
    if (state !== current.i_state) {
      params.push(state);
      sets.push(`"state" = $${params.length}`);
      if (state !== 'done') {
        params.push(null);
        sets.push(`"completed_at" = $${params.length}`);
      } else if (current.i_state === 'done' && current.i_completed_at) {
        params.push(current.i_completed_at);
        sets.push(`"completed_at" = $${params.length}`);
      } else {
        sets.push('"completed_at" = now()');
      }
    }
    params.push(current.i_version + 1);
    sets.push(`"version" = $${params.length}`, '"updated_at" = CURRENT_TIMESTAMP');
    params.push(id);
    const updated = await client.query(`UPDATE "activity" SET ${sets.join(', ')} WHERE "id" = $${params.length} RETURNING *`, params);
    await client.query(INSERT_REVISION, ['activity', 'status', caller.name, caller.keyId, id]);
    await client.query(INSERT_STATUS_UPDATE, [
      'activity',
      id,
      current.i_cluster_id,
      dto.status,
      state,
      dto.comment?.trim() || null,
      caller.name,
      caller.keyId,
    ]);
    await client.query('COMMIT');
    done = true;
    const body = activityResponse(prefixed(updated.rows[0]), today());
    void reply.code(201).header('etag', `"${body.version}"`);
    return body;
  } finally {
    if (!done) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
});

await app.listen({ port: PORT, host: HOST });
console.log(`baseline listening on http://${HOST}:${PORT}`);

const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

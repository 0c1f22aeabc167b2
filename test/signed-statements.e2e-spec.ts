import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { SignedStatements1796700000003 } from '../migrations/1796700000003-SignedStatements.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { startTestApp, type TestApp } from './support/app.js';
import { dropTestDatabase } from './support/database.js';
import { dumpAndRestore } from './support/dump.js';
import { expectProblem } from './support/problem.js';
import { type Funded, fundedCluster, raw } from './support/submissions.js';

/**
 * Signed statements: each submission's statement is signed with Ed25519 and names the SHA-256 of the statement
 * before it, so the statements form one chain; `examples/verify-report.mjs`, run as a funder would run it, says
 * "valid" for a report, its statement and the published keys, and exactly why not when any of them was tampered
 * with. The chain stays one under concurrent submissions on two instances, statements made before signing
 * existed are signed at start-up in their original order, old keys stay published after a rotation, and the
 * statements survive a dump and restore.
 */
const root = join(import.meta.dirname, '..', '..');
const VERIFY = join(root, 'examples', 'verify-report.mjs');
const main = join(root, 'dist', 'src', 'main.js');

const K1 = '1a'.repeat(32);
const K2 = '2b'.repeat(32);

type Json = Record<string, any>;
interface Signed {
  id: string;
  report: Buffer;
  statement: Json;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Runs the verifier on these files, as a funder's auditor would: its exit code and what it printed. */
async function verify(files: { report: Buffer; statements: Json[]; keys: Json; chain?: unknown }): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'styrman-verify-'));
  try {
    const args = [VERIFY, '--report', join(dir, 'report.json'), '--keys', join(dir, 'keys.json')];
    await writeFile(join(dir, 'report.json'), files.report);
    await writeFile(join(dir, 'keys.json'), JSON.stringify(files.keys));
    for (const [i, s] of files.statements.entries()) {
      await writeFile(join(dir, `statement-${i}.json`), JSON.stringify(s));
      args.push('--statement', join(dir, `statement-${i}.json`));
    }
    if (files.chain !== undefined) {
      await writeFile(join(dir, 'chain.json'), JSON.stringify(files.chain));
      args.push('--chain', join(dir, 'chain.json'));
    }
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    return { code, out };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The month of 2025 numbered `m` (1–12), as a period of its own. */
const month = (m: number) => {
  const last = new Date(Date.UTC(2025, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `2025-${mm}-01`, to: `2025-${mm}-${last}` };
};

async function submit(t: TestApp, f: Funded, m: number, idempotencyKey?: string): Promise<string> {
  let req = t.api().post(`/api/v1/clusters/${f.cluster.id}/report-submissions`);
  if (idempotencyKey) req = req.set('Idempotency-Key', idempotencyKey);
  const res = await req.send({ funderId: f.funder.id, ...month(m) });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function fetchSigned(t: TestApp, id: string): Promise<Signed> {
  const report = (await t.api().get(`/api/v1/report-submissions/${id}/report`).buffer(true).parse(raw).expect(200)).body as Buffer;
  const statement = (await t.api().get(`/api/v1/report-submissions/${id}/statement`).expect(200)).body as Json;
  return { id, report, statement };
}

/** Every page of the chain. */
async function wholeChain(t: TestApp): Promise<Json[]> {
  const pages: Json[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page = (await t.api().get(`/api/v1/statements?after=${after}`).expect(200)).body as Json;
    pages.push(page);
    after = page.next as number | null;
  }
  return pages;
}

const links = (pages: Json[]) => pages.flatMap((p) => p.items as Json[]);

async function keys(t: TestApp): Promise<Json> {
  return (await t.api(null).get('/.well-known/styrman-keys').expect(200)).body as Json;
}

/** Asserts that the links are one chain: positions 1…n, each naming the hash of the one before. */
function expectOneChain(chain: Json[], n: number): void {
  expect(chain.map((l) => l.position)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  chain.forEach((l, i) => expect(l.previous).toBe(i === 0 ? null : chain[i - 1].sha256));
}

/**
 * Every statement pending, as the migration leaves those of submissions made before signing existed (past the
 * append-only trigger, which refuses this to anyone else); the submissions in the order they were made.
 */
async function asMigrationLeftThem(t: TestApp): Promise<string[]> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('DELETE FROM submission_statement');
    await client.query('INSERT INTO submission_statement (submission_id) SELECT id FROM report_submission');
    await client.query('COMMIT');
    return (await client.query<{ id: string }>('SELECT id FROM report_submission ORDER BY submitted_at, id')).rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

describe('signed statements of submissions', () => {
  let t: TestApp;
  let f: Funded;
  const signed: Signed[] = [];

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', SIGNING_KEY: K1 });
    f = await fundedCluster(t);
    for (const m of [1, 2, 3]) signed.push(await fetchSigned(t, await submit(t, f, m)));
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('signs a statement of exactly the submission, chained to the one before, readable by whoever reads the submission', async () => {
    const submission = (await t.api().get(`/api/v1/report-submissions/${signed[1].id}`).expect(200)).body as Json;
    const text = signed[1].statement.statement as string;
    expect(Object.keys(JSON.parse(text))).toEqual([
      'submissionId',
      'clusterId',
      'funderId',
      'from',
      'to',
      'sha256',
      'submittedAt',
      'previous',
    ]);
    expect(JSON.parse(text)).toEqual({
      submissionId: submission.id,
      clusterId: submission.clusterId,
      funderId: submission.funderId,
      from: submission.from,
      to: submission.to,
      sha256: sha256(signed[1].report),
      submittedAt: submission.submittedAt,
      previous: sha256(signed[0].statement.statement as string),
    });
    expect(JSON.parse(signed[0].statement.statement as string).previous).toBeNull();
    expect(Object.keys(signed[1].statement).sort()).toEqual(['keyId', 'signature', 'statement']);

    const jwks = await keys(t);
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: signed[1].statement.keyId })]);
    const res = await t.api(null).get('/.well-known/styrman-keys').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');

    const chain = links(await wholeChain(t));
    expectOneChain(chain, 3);
    expect(chain.map((l) => l.sha256)).toEqual(signed.map((s) => sha256(s.statement.statement as string)));
    expect(Object.keys(chain[0]).sort()).toEqual(['position', 'previous', 'sha256']);

    // The funder it was submitted to reads it; another funder does not learn it exists.
    const own = await t.key('funder', { funderId: f.funder.id as string });
    expect((await t.api(own.secret).get(`/api/v1/report-submissions/${signed[0].id}/statement`).expect(200)).body).toEqual(
      signed[0].statement,
    );
    const other = await fundedCluster(t);
    const stranger = await t.key('funder', { funderId: other.funder.id as string });
    expectProblem(await t.api(stranger.secret).get(`/api/v1/report-submissions/${signed[0].id}/statement`), 404);
    // Any key reads the chain, which holds no content.
    expect((await t.api(stranger.secret).get('/api/v1/statements').expect(200)).body.items).toHaveLength(3);
    expectProblem(await t.api().get('/api/v1/statements?after=-1'), 400, 'after');
    expectProblem(await t.api(null).get('/api/v1/statements'), 401);
  });

  it('verify-report.mjs says valid for the report, its statement, the keys and the chain', async () => {
    const jwks = await keys(t);
    const chain = await wholeChain(t);
    const result = await verify({ report: signed[1].report, statements: [signed[1].statement], keys: jwks, chain });
    expect(result).toEqual({ code: 0, out: expect.stringMatching(/^valid\n/) });
    // Several statements in chain order, each naming the one before.
    expect((await verify({ report: signed[0].report, statements: signed.map((s) => s.statement), keys: jwks, chain })).code).toBe(0);
  });

  it('a changed byte of the report fails, naming both hashes', async () => {
    const report = Buffer.from(signed[1].report);
    report[Math.floor(report.length / 2)] ^= 0x01;
    const result = await verify({ report, statements: [signed[1].statement], keys: await keys(t) });
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `not valid: the report's SHA-256 is ${sha256(report)}, but the signed statement says ${sha256(signed[1].report)}`,
    );
  });

  it('a changed statement fails its signature', async () => {
    const facts = JSON.parse(signed[1].statement.statement as string) as Json;
    const changed = { ...signed[1].statement, statement: JSON.stringify({ ...facts, submittedAt: '2025-01-01T00:00:00.000Z' }) };
    const result = await verify({ report: signed[1].report, statements: [changed], keys: await keys(t) });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^not valid: the signature in .* does not match its statement with key /);
  });

  it('a statement removed from the chain fails, however the rest is renumbered', async () => {
    const jwks = await keys(t);
    const chain = links(await wholeChain(t));
    const gap = await verify({ report: signed[2].report, statements: [signed[2].statement], keys: jwks, chain: [chain[0], chain[2]] });
    expect(gap.code).toBe(1);
    expect(gap.out).toContain('not valid: the chain goes from position 1 to 3: 1 statement(s) missing between them');

    const renumbered = await verify({
      report: signed[2].report,
      statements: [signed[2].statement],
      keys: jwks,
      chain: [chain[0], { ...chain[2], position: 2 }],
    });
    expect(renumbered.code).toBe(1);
    expect(renumbered.out).toContain('not valid: the chain is broken at position 2');

    // Statements given in chain order with one left out between them.
    const skipped = await verify({ report: signed[0].report, statements: [signed[0].statement, signed[2].statement], keys: jwks });
    expect(skipped.code).toBe(1);
    expect(skipped.out).toMatch(
      /not valid: the statement in .* names previous \w+, but the statement before it .* a statement between them is missing/,
    );
  });

  it('a statement signed by a key that is not published fails', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const x = publicKey.export({ format: 'jwk' }).x!;
    const kid = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
    const text = signed[1].statement.statement as string;
    const forged = { statement: text, signature: sign(null, Buffer.from(text), privateKey).toString('base64'), keyId: kid };
    const result = await verify({ report: signed[1].report, statements: [forged], keys: await keys(t) });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`is signed by key ${kid}, which is not among the published keys`));
    // Nor does claiming a published key's id help: the signature is not that key's.
    const claimed = await verify({
      report: signed[1].report,
      statements: [{ ...forged, keyId: signed[1].statement.keyId }],
      keys: await keys(t),
    });
    expect(claimed.code).toBe(1);
    expect(claimed.out).toMatch(/does not match its statement/);
  });

  it('concurrent submissions on two instances, with and without Idempotency-Key, make one chain', async () => {
    const second = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', SIGNING_KEY: K1, REPORT_CONCURRENCY: '4' }, {}, t.databaseUrl);
    try {
      const fs = [await fundedCluster(t), await fundedCluster(t)];
      const months = [4, 5, 6, 7, 8, 9];
      const ids = await Promise.all(
        fs.flatMap((fc, c) => months.map((m, i) => submit(c === 0 ? t : second, fc, m, i % 2 === 0 ? `chain-${c}-${m}` : undefined))),
      );
      const chain = links(await wholeChain(t));
      expectOneChain(chain, 3 + ids.length);
      const statements = await Promise.all(
        ids.map(async (id) => (await t.api().get(`/api/v1/report-submissions/${id}/statement`).expect(200)).body as Json),
      );
      const positions = statements.map((s) => chain.find((l) => l.sha256 === sha256(s.statement as string))!.position as number);
      expect(new Set(positions).size).toBe(ids.length);
      // All of them, in chain order, verify as one run of the chain.
      const ordered = positions
        .map((p, i) => ({ p, s: statements[i] }))
        .sort((a, b) => a.p - b.p)
        .map((x) => x.s);
      const report = (await fetchSigned(t, ids[0])).report;
      const result = await verify({
        report,
        statements: [signed[2].statement, ...ordered],
        keys: await keys(t),
        chain: await wholeChain(t),
      });
      expect(result).toEqual({ code: 0, out: expect.stringMatching(/^valid\n/) });
    } finally {
      await second.app.close();
    }
  }, 60_000);

  it('statements of submissions made before signing are signed at start-up, in their original order, once with two instances', async () => {
    const order = await asMigrationLeftThem(t);
    const instances = await Promise.all([
      startTestApp({ RATE_LIMIT_PER_MINUTE: '0', SIGNING_KEY: K1 }, {}, t.databaseUrl),
      startTestApp({ RATE_LIMIT_PER_MINUTE: '0', SIGNING_KEY: K1 }, {}, t.databaseUrl),
    ]);
    try {
      const chain = links(await wholeChain(t));
      expectOneChain(chain, order.length);
      const statements = await Promise.all(
        order.map(async (id) => (await t.api().get(`/api/v1/report-submissions/${id}/statement`).expect(200)).body as Json),
      );
      expect(statements.map((s) => sha256(s.statement as string))).toEqual(chain.map((l) => l.sha256));
      expect(statements.map((s) => JSON.parse(s.statement as string).submissionId)).toEqual(order);
      const first = await fetchSigned(t, order[0]);
      expect((await verify({ report: first.report, statements, keys: await keys(t), chain: await wholeChain(t) })).code).toBe(0);
      signed.splice(0, signed.length, ...(await Promise.all(signed.map((s) => fetchSigned(t, s.id)))));
    } finally {
      await Promise.all(instances.map((i) => i.app.close()));
    }
  }, 60_000);

  it('the migration gives the submissions made before it statements that start-up signs in their original order', async () => {
    // A copy of the database as it was before the migration: its down, and its row in the migrations table, undone.
    const { url } = await dumpAndRestore(t.databaseUrl);
    const dataSource = new DataSource(dataSourceOptions(url, ENTITIES, 2));
    await dataSource.initialize();
    try {
      const runner = dataSource.createQueryRunner();
      await new SignedStatements1796700000003().down(runner);
      await runner.query(`DELETE FROM migrations WHERE name = $1`, ['SignedStatements1796700000003']);
      await runner.release();
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      expect(applied.map((m) => m.name)).toEqual(['SignedStatements1796700000003']);
      const [{ pending, submissions }] = await dataSource.query<{ pending: number; submissions: number }[]>(
        `SELECT (SELECT count(*)::int FROM submission_statement WHERE position IS NULL) AS pending,
                (SELECT count(*)::int FROM report_submission) AS submissions`,
      );
      expect(pending).toBe(submissions);
    } finally {
      await dataSource.destroy();
    }
    const upgraded = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', SIGNING_KEY: K1 }, {}, url);
    try {
      // Signed at start-up in the order of submission, with the same key: the very statements the running instance,
      // which signed them in that order too, serves.
      expect(await wholeChain(upgraded)).toEqual(await wholeChain(t));
      for (const s of signed) {
        expect((await upgraded.api().get(`/api/v1/report-submissions/${s.id}/statement`).expect(200)).body).toEqual(s.statement);
      }
    } finally {
      await upgraded.close();
    }
  }, 60_000);

  it('a statement still pending (its request ended before sealing) is sealed when it is read, as it would have been', async () => {
    const before = await Promise.all(
      signed.map(async (s) => (await t.api().get(`/api/v1/report-submissions/${s.id}/statement`)).body as Json),
    );
    const chainBefore = await wholeChain(t);
    await asMigrationLeftThem(t);
    const last = (await t.api().get(`/api/v1/report-submissions/${signed[2].id}/statement`).expect(200)).body as Json;
    // Same key, same order, same predecessors: the very same statements and signatures (Ed25519 is deterministic).
    expect(await wholeChain(t)).toEqual(chainBefore);
    expect(last).toEqual(before[2]);
  });

  it('after a key rotation the old key stays published and its statements verify beside the new ones', async () => {
    const rotated = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', SIGNING_KEY: K2 }, {}, t.databaseUrl);
    try {
      const fresh = await fetchSigned(rotated, await submit(rotated, f, 10));
      expect(fresh.statement.keyId).not.toBe(signed[0].statement.keyId);
      const jwks = await keys(rotated);
      expect(jwks.keys.map((k: Json) => k.kid)).toEqual(expect.arrayContaining([signed[0].statement.keyId, fresh.statement.keyId]));
      const chain = await wholeChain(rotated);
      for (const s of [signed[0], fresh]) {
        expect(await verify({ report: s.report, statements: [s.statement], keys: jwks, chain })).toEqual({
          code: 0,
          out: expect.stringMatching(/^valid\n/),
        });
      }
      signed.push(fresh);
    } finally {
      await rotated.app.close();
    }
  }, 60_000);

  it('statements, keys and chain survive a dump and restore, and still verify', async () => {
    const { url } = await dumpAndRestore(t.databaseUrl);
    const restored = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', SIGNING_KEY: K2 }, {}, url);
    try {
      expect(await wholeChain(restored)).toEqual(await wholeChain(t));
      const jwks = await keys(restored);
      for (const s of signed) {
        const again = await fetchSigned(restored, s.id);
        expect(again.statement).toEqual(s.statement);
        expect(
          (await verify({ report: again.report, statements: [again.statement], keys: jwks, chain: await wholeChain(restored) })).code,
        ).toBe(0);
      }
    } finally {
      await restored.close();
      await dropTestDatabase(url).catch(() => undefined);
    }
  }, 120_000);

  it('with DATABASE_URL and no SIGNING_KEY, start-up stops with exit code 78 naming it', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/styrman',
      WEBHOOK_SECRET_KEY: '5e'.repeat(32),
    };
    delete env.SIGNING_KEY;
    const started = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    started.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(started, 'exit');
    expect(code).toBe(78);
    expect(stderr).toMatch(/SIGNING_KEY: must be set when DATABASE_URL is set/);
  });
});

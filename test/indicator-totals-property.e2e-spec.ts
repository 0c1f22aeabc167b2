import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { checkDigit } from '../src/common/organisation-number.js';
import { dayOf } from '../src/common/calendar.js';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * Indicator totals against a brute-force oracle written from the raw rows: random goals on random clusters,
 * adopting random definitions (and switching between them: each measurement carries its own), measurements
 * recorded before and after the end of the period, organisations shared between clusters, goals archived before,
 * in and after the period. Rows go in by SQL in a few bulk statements and out again by TRUNCATE, so that a run
 * costs a handful of statements. The period ends at the moment the setup finished: it has ended for every run,
 * and random later writes must leave its totals byte for byte as they were.
 */
const RUNS = 200;
const TZ = 'Europe/Stockholm';
const RCO01 = '00000000-0000-4000-8000-0000000c0001';
const RCO02 = '00000000-0000-4000-8000-0000000c0002';
const RCR02 = '00000000-0000-4000-8000-0000000c1002';
const SIZES = ['micro', 'small', 'medium', 'large'] as const;
/** Twelve organisations shared by every cluster, with valid check digits. */
const ORGANISATIONS = Array.from({ length: 12 }, (_, i) => {
  const nine = `5566${String(10 + i * 7).padStart(3, '0')}00`;
  return `${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`;
});

interface Definition {
  id: string;
  code: string;
  unit: string;
  aggregation: 'sum' | 'organisations';
  breakdown: boolean;
  funderId: string | null;
  name: string;
}
interface Cluster {
  id: string;
  name: string;
  region: string;
}
interface Goal {
  id: string;
  clusterId: string;
  definitionId: string | null;
  archivedAt: Date | null;
}
interface Measurement {
  id: string;
  goalId: string;
  definitionId: string | null;
  cents: number;
  measuredOn: string;
  createdAt: Date;
  organisations: { number: string; size: (typeof SIZES)[number] | null }[];
}

describe('indicator totals, against an oracle (property)', () => {
  let t: TestApp;
  let clusters: Cluster[];
  let definitions: Definition[];
  let funders: string[];
  /** Which clusters each funder funds in the period. */
  let funded: Map<string, Set<string>>;
  let end: Date;
  let query: string;

  beforeAll(async () => {
    // Nothing kept: every run starts the history anew with the same period, and every pull adds up the rows, so
    // that "byte for byte after later writes" is a property of the statement itself (keeping: indicator-totals-kept).
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', REPORT_KEEP: 'false' });
    funders = [];
    for (const name of ['Vinnova', 'Tillväxtverket', 'Region Gävleborg']) {
      funders.push((await t.api().post('/api/v1/funders').send({ name, kind: 'national_agency' }).expect(201)).body.id as string);
    }
    clusters = [];
    for (const [i, name] of ['Findit', 'Compare', 'Paper Province', 'Smart Textiles', 'ZaSCI', 'Automation Region'].entries()) {
      const region = i % 2 === 0 ? 'Gävleborg' : 'Värmland';
      const body = (await t.api().post('/api/v1/clusters').send({ name, region, phase: 'formation' }).expect(201)).body;
      clusters.push({ id: body.id as string, name, region });
    }
    const fundings: [number, number[]][] = [
      [0, [0, 1, 2, 3]],
      [1, [2, 3, 4, 5]],
      [2, [5]],
    ];
    funded = new Map();
    for (const [f, cs] of fundings) {
      funded.set(funders[f], new Set(cs.map((c) => clusters[c].id)));
      for (const c of cs) {
        await t
          .api()
          .post(`/api/v1/funders/${funders[f]}/fundings`)
          .send({ clusterId: clusters[c].id, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
          .expect(201);
      }
    }
    const shipped = (await t.api().get('/api/v1/indicator-definitions?common=true').expect(200)).body.items as Record<string, any>[];
    const of = (d: Record<string, any>): Definition => ({
      id: d.id,
      code: d.code,
      unit: d.unit,
      aggregation: d.aggregation,
      breakdown: d.breakdown === 'enterprise_size',
      funderId: d.funderId,
      name: d.name,
    });
    definitions = shipped.filter((d) => [RCO01, RCO02, RCR02].includes(d.id)).map(of);
    for (const [funderId, code, aggregation] of [
      [funders[0], 'F-SUM', 'sum'],
      [funders[1], 'F-ORG', 'organisations'],
      // The same code as a common definition: another definition.
      [funders[1], 'RCO02', 'organisations'],
    ] as const) {
      const body = (
        await t
          .api()
          .post('/api/v1/indicator-definitions')
          .send({ code, name: `${code} of a funder`, unit: 'things', aggregation, funderId })
          .expect(201)
      ).body;
      definitions.push(of(body));
    }
    // Measurements recorded by SQL, also for an end of period in the past: the append-only guard is the API's concern here.
    await t.dataSource.query('ALTER TABLE measurement DISABLE TRIGGER tr_measurement__append_only');
    await new Promise((resolve) => setTimeout(resolve, 5));
    end = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    query = `from=2026-01-01&to=${encodeURIComponent(end.toISOString())}`;
  });
  afterAll(() => t.close());

  const FROM = new Date('2025-12-31T23:00:00.000Z');
  const FROM_DATE = '2026-01-01';

  const day = (offset: number) => new Date(Date.UTC(2025, 10, 1) + offset * 86_400_000).toISOString().slice(0, 10);

  /** The brute-force oracle: straight from the rows, one definition and one cluster at a time. */
  function oracle(scope: Cluster[], funderId: string | null, goals: Goal[], measurements: Measurement[]) {
    const toDate = dayOf(end, TZ);
    const goalOf = new Map(goals.map((g) => [g.id, g]));
    const inScope = new Set(scope.map((c) => c.id));
    const defs = definitions.filter((d) => funderId === null || d.funderId === null || d.funderId === funderId);
    const later = (a: Measurement, b: Measurement) =>
      a.measuredOn !== b.measuredOn
        ? a.measuredOn > b.measuredOn
        : a.createdAt.getTime() !== b.createdAt.getTime()
          ? a.createdAt > b.createdAt
          : a.id > b.id;
    const items = [];
    for (const d of defs) {
      const counted = measurements.filter((m) => {
        const g = goalOf.get(m.goalId)!;
        return (
          m.definitionId === d.id &&
          inScope.has(g.clusterId) &&
          (g.archivedAt === null || g.archivedAt >= FROM) &&
          m.createdAt <= end &&
          m.measuredOn <= toDate
        );
      });
      const values: { clusterId: string; clusterName: string; value: number; cents?: number }[] = [];
      const sizes = new Map<string, { m: Measurement; size: string | null }>();
      for (const c of scope) {
        const mine = counted.filter((m) => goalOf.get(m.goalId)!.clusterId === c.id);
        if (d.aggregation === 'sum') {
          if (mine.length === 0) continue;
          const latest = mine.reduce((a, b) => (later(b, a) ? b : a));
          values.push({ clusterId: c.id, clusterName: c.name, value: latest.cents / 100, cents: latest.cents });
        } else {
          const inPeriod = mine.filter((m) => m.measuredOn >= FROM_DATE);
          const numbers = new Set(inPeriod.flatMap((m) => m.organisations.map((o) => o.number)));
          if (numbers.size === 0) continue;
          values.push({ clusterId: c.id, clusterName: c.name, value: numbers.size });
          for (const m of inPeriod) {
            for (const o of m.organisations) {
              const seen = sizes.get(o.number);
              if (!seen || later(m, seen.m)) sizes.set(o.number, { m, size: o.size });
            }
          }
        }
      }
      if (values.length === 0) continue;
      values.sort((a, b) => (a.clusterName < b.clusterName ? -1 : a.clusterName > b.clusterName ? 1 : a.clusterId < b.clusterId ? -1 : 1));
      const sum = d.aggregation === 'sum';
      const total = sum ? values.reduce((s, v) => s + v.cents!, 0) / 100 : sizes.size;
      const count = (size: string) => [...sizes.values()].filter((s) => s.size === size).length;
      items.push({
        sortKey: [d.code, d.funderId ?? '', d.id],
        item: {
          definition: { id: d.id, code: d.code, name: d.name, unit: d.unit, aggregation: d.aggregation },
          total,
          byEnterpriseSize:
            !sum && d.breakdown ? { micro: count('micro'), small: count('small'), medium: count('medium'), large: count('large') } : null,
          overlap: sum ? 0 : values.reduce((s, v) => s + v.value, 0) - total,
          clusters: values.map(({ clusterId, clusterName, value }) => ({ clusterId, clusterName, value })),
        },
      });
    }
    items.sort((a, b) => {
      for (let i = 0; i < 3; i++) if (a.sortKey[i] !== b.sortKey[i]) return a.sortKey[i] < b.sortKey[i] ? -1 : 1;
      return 0;
    });
    return { period: null, from: FROM.toISOString(), to: end.toISOString(), complete: true, items: items.map((i) => i.item) };
  }

  async function insert(goals: Goal[], measurements: Measurement[]): Promise<void> {
    const unitOf = new Map(definitions.map((d) => [d.id, d.unit]));
    await t.dataSource.query(
      `INSERT INTO goal (id, cluster_id, title, horizon, status, indicator_unit, indicator_baseline, indicator_target, indicator_definition_id, archived_at)
       SELECT g.id, g.cluster_id, 'Goal', 'short_term', 'green', g.unit, 0, 10, g.definition_id, g.archived_at
       FROM jsonb_to_recordset($1::jsonb) AS g(id uuid, cluster_id uuid, unit text, definition_id uuid, archived_at timestamptz)`,
      [
        JSON.stringify(
          goals.map((g) => ({
            id: g.id,
            cluster_id: g.clusterId,
            unit: g.definitionId ? unitOf.get(g.definitionId) : 'own things',
            definition_id: g.definitionId,
            archived_at: g.archivedAt?.toISOString() ?? null,
          })),
        ),
      ],
    );
    if (measurements.length === 0) return;
    await t.dataSource.query(
      `INSERT INTO measurement (id, goal_id, definition_id, value, measured_on, author, created_at)
       SELECT m.id, m.goal_id, m.definition_id, m.value, m.measured_on, 'property', m.created_at
       FROM jsonb_to_recordset($1::jsonb) AS m(id uuid, goal_id uuid, definition_id uuid, value numeric, measured_on date, created_at timestamptz)`,
      [
        JSON.stringify(
          measurements.map((m) => ({
            id: m.id,
            goal_id: m.goalId,
            definition_id: m.definitionId,
            value: m.organisations.length > 0 ? m.organisations.length : (m.cents / 100).toFixed(2),
            measured_on: m.measuredOn,
            created_at: m.createdAt.toISOString(),
          })),
        ),
      ],
    );
    const organisations = measurements.flatMap((m) =>
      m.organisations.map((o) => ({ measurement_id: m.id, number: o.number, size: o.size })),
    );
    if (organisations.length === 0) return;
    await t.dataSource.query(
      `INSERT INTO measurement_organisation (measurement_id, organisation_number, enterprise_size)
       SELECT o.measurement_id, o.number, o.size::enterprise_size FROM jsonb_to_recordset($1::jsonb) AS o(measurement_id uuid, number text, size text)`,
      [JSON.stringify(organisations)],
    );
  }

  /** Raw goals and measurements from fast-check's choices: definitions switch under goals (re-adoption), organisations repeat across clusters. */
  const world = fc
    .record({
      goals: fc.array(
        fc.record({
          cluster: fc.nat({ max: 5 }),
          archived: fc.constantFrom<'never' | 'before' | 'during' | 'after'>('never', 'never', 'before', 'during', 'after'),
          measurements: fc.array(
            fc.record({
              definition: fc.nat({ max: 6 }),
              cents: fc.integer({ min: -100_000, max: 10_000_000 }),
              measuredOn: fc.nat({ max: 400 }),
              recorded: fc.constantFrom<'before' | 'at' | 'after'>('before', 'before', 'before', 'at', 'after'),
              recordedDays: fc.nat({ max: 30 }),
              organisations: fc.uniqueArray(fc.record({ org: fc.nat({ max: 11 }), size: fc.nat({ max: 3 }) }), {
                selector: (o) => o.org,
                minLength: 1,
                maxLength: 5,
              }),
            }),
            { maxLength: 5 },
          ),
        }),
        { maxLength: 10 },
      ),
      funder: fc.nat({ max: 2 }),
      region: fc.constantFrom<string | null>(null, 'Gävleborg', 'Värmland'),
    })
    .map(({ goals, funder, region }) => {
      const rows: Goal[] = [];
      const measured: Measurement[] = [];
      for (const g of goals) {
        const archivedAt = {
          never: null,
          before: new Date('2025-12-01T00:00:00Z'),
          during: new Date('2026-03-01T00:00:00Z'),
          after: new Date(end.getTime() + 3_600_000),
        }[g.archived];
        const goal: Goal = { id: randomUUID(), clusterId: clusters[g.cluster].id, definitionId: null, archivedAt };
        for (const m of g.measurements) {
          // Index 6: the cluster's own indicator, adopting nothing.
          const definition = m.definition < definitions.length ? definitions[m.definition] : null;
          const measuredOn = day(m.measuredOn);
          const createdAt = {
            before: new Date(Math.min(end.getTime() - 1, Date.parse(`${measuredOn}T12:00:00Z`) + m.recordedDays * 86_400_000)),
            at: end,
            after: new Date(end.getTime() + 1 + m.recordedDays * 60_000),
          }[m.recorded];
          measured.push({
            id: randomUUID(),
            goalId: goal.id,
            definitionId: definition?.id ?? null,
            cents: m.cents,
            measuredOn,
            createdAt,
            organisations:
              definition?.aggregation === 'organisations'
                ? m.organisations.map((o) => ({ number: ORGANISATIONS[o.org], size: definition.breakdown ? SIZES[o.size] : null }))
                : [],
          });
          goal.definitionId = definition?.id ?? null;
        }
        rows.push(goal);
      }
      return { goals: rows, measurements: measured, funder: funders[funder], region };
    });

  it(`equals the oracle, for a funder and for a region, and stays byte for byte after later writes (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(world, fc.infiniteStream(fc.nat({ max: 1_000_000 })), async ({ goals, measurements, funder, region }, later) => {
        await t.dataSource.query('TRUNCATE measurement_organisation, measurement, goal CASCADE');
        await insert(goals, measurements);

        const funderScope = clusters.filter((c) => funded.get(funder)!.has(c.id));
        const funderPath = `/api/v1/funders/${funder}/indicator-totals?${query}`;
        const before = await t.api().get(funderPath).expect(200);
        expect(before.body).toEqual(oracle(funderScope, funder, goals, measurements));

        const regionScope = clusters.filter((c) => region === null || c.region === region);
        const regionPath = `/api/v1/indicator-totals?${query}${region ? `&region=${encodeURIComponent(region)}` : ''}`;
        const regionBefore = await t.api().get(regionPath).expect(200);
        expect(regionBefore.body).toEqual(oracle(regionScope, null, goals, measurements));

        // Later writes: values recorded now (also measured in the period), goals archived now, goals adopting other definitions.
        const next = () => later.next().value as number;
        const now = new Date();
        const added: Measurement[] = goals.slice(0, 1 + (next() % 3)).map((g) => {
          const definition = definitions[next() % definitions.length];
          return {
            id: randomUUID(),
            goalId: g.id,
            definitionId: definition.id,
            cents: next(),
            measuredOn: day(100 + (next() % 200)),
            createdAt: now,
            organisations:
              definition.aggregation === 'organisations'
                ? [{ number: ORGANISATIONS[next() % 12], size: definition.breakdown ? 'micro' : null }]
                : [],
          };
        });
        await insert([], added);
        if (goals.length > 0) {
          await t.dataSource.query(`UPDATE goal SET archived_at = now() WHERE id = $1 AND archived_at IS NULL`, [
            goals[next() % goals.length].id,
          ]);
          const definition = definitions[next() % definitions.length];
          await t.dataSource.query(`UPDATE goal SET indicator_definition_id = $1, indicator_unit = $2 WHERE id = $3`, [
            definition.id,
            definition.unit,
            goals[next() % goals.length].id,
          ]);
        }
        expect((await t.api().get(funderPath).expect(200)).text).toBe(before.text);
        expect((await t.api().get(regionPath).expect(200)).text).toBe(regionBefore.text);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('names clusters and definitions as they were at the end of the period', async () => {
    await t.dataSource.query('TRUNCATE measurement_organisation, measurement, goal CASCADE');
    const goal: Goal = { id: randomUUID(), clusterId: clusters[0].id, definitionId: definitions[3].id, archivedAt: null };
    await insert(
      [goal],
      [
        {
          id: randomUUID(),
          goalId: goal.id,
          definitionId: goal.definitionId,
          cents: 500,
          measuredOn: '2026-02-01',
          createdAt: new Date(end.getTime() - 1000),
          organisations: [],
        },
      ],
    );
    const path = `/api/v1/funders/${funders[0]}/indicator-totals?${query}`;
    const before = await t.api().get(path).expect(200);
    expect(before.body.items[0]).toMatchObject({
      definition: { name: 'F-SUM of a funder' },
      clusters: [{ clusterName: 'Findit', value: 5 }],
    });
    await t.api().patch(`/api/v1/clusters/${clusters[0].id}`).send({ name: 'Findit renamed' }).expect(200);
    await t.api().patch(`/api/v1/indicator-definitions/${definitions[3].id}`).send({ name: 'Renamed' }).expect(200);
    expect((await t.api().get(path).expect(200)).text).toBe(before.text);
  });
});

import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { recordRevision } from '../src/revisions/record.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (max: number) => Math.floor(Math.random() * max);

interface FeedEvent {
  id: string;
  cursor: string;
  type: string;
  subject: { type: string; id: string };
}

/** Cursors in the feed's order: (xid, position). */
function cursorKey(cursor: string): [bigint, bigint] {
  const [xid, position] = cursor.split('_');
  return [BigInt(xid), BigInt(position)];
}
function cursorBefore(a: string, b: string): boolean {
  const [ax, ap] = cursorKey(a);
  const [bx, bp] = cursorKey(b);
  return ax < bx || (ax === bx && ap < bp);
}

/**
 * The gap-free cursor under concurrency: writers whose transactions take their
 * transaction id early, write their revisions later and hold them open across
 * other writers' commits; a reader following `next` as fast as it can. Both
 * naive cursors fail this test: `position > after` skips a position taken
 * before a later one became visible, and `position > after AND xid < xmin`
 * skips a revision written late by a transaction whose xid is older.
 */
describe('the events feed under concurrent writers', () => {
  let t: TestApp;
  let writers: DataSource;
  let goals: string[];
  const WRITERS = 20;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    writers = new DataSource(dataSourceOptions(t.databaseUrl, ENTITIES, WRITERS + 2));
    await writers.initialize();
    const cluster = await createCluster(t);
    goals = [];
    for (let i = 0; i < WRITERS; i++) goals.push((await createGoal(t, cluster.id)).id as string);
  });
  afterAll(async () => {
    await writers.destroy();
    await t.close();
  });

  /** One writer's transaction: xid first, a pause, its revisions, a pause (sometimes long), then commit or roll back. */
  async function write(goalId: string, hold: number, rollBack: boolean): Promise<string[]> {
    let ids: string[] = [];
    try {
      await writers.transaction(async (m) => {
        await m.query(`UPDATE goal SET version = version + 1, updated_at = now() WHERE id = $1`, [goalId]);
        await sleep(random(15));
        await recordRevision(m, 'goal', { id: goalId }, { name: 'writer', keyId: null as unknown as string }, 'updated');
        if (random(2) === 0) {
          await m.query(`UPDATE goal SET version = version + 1, updated_at = now() WHERE id = $1`, [goalId]);
          await recordRevision(m, 'goal', { id: goalId }, { name: 'writer', keyId: null as unknown as string }, 'updated');
        }
        const rows = await m.query<{ event_id: string }[]>(`SELECT event_id FROM revision WHERE xid = pg_current_xact_id()::text::bigint`);
        ids = rows.map((r) => r.event_id);
        await sleep(hold);
        if (rollBack) throw new Error('rolled back on purpose');
      });
      return ids;
    } catch (error) {
      if ((error as Error).message !== 'rolled back on purpose') throw error;
      return ids.map((id) => `rolled-back:${id}`);
    }
  }

  it('a reader following next sees every committed event exactly once, in cursor order, and nothing rolled back', async () => {
    const ITERATIONS = 8;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      // Where the feed stands now: only this iteration's events are counted.
      let next = (await t.api().get('/api/v1/events?limit=200').expect(200)).body.next as string;
      for (;;) {
        const page = await t.api().get(`/api/v1/events?limit=200&after=${next}`).expect(200);
        next = page.body.next;
        if (page.body.items.length === 0) break;
      }

      let writing = true;
      const seen: FeedEvent[] = [];
      const reader = (async () => {
        for (;;) {
          const stillWriting = writing;
          const page = await t
            .api()
            .get(`/api/v1/events?limit=${1 + random(5)}&after=${next}`)
            .expect(200);
          seen.push(...(page.body.items as FeedEvent[]));
          next = page.body.next;
          if (!stillWriting && page.body.items.length === 0) return;
        }
      })();
      const results = await Promise.all(
        goals.map(async (goalId, i) => {
          const out: string[] = [];
          for (let k = 0; k < 3; k++) {
            await sleep(random(10));
            // Some writers hold their transaction open across many others' commits.
            const hold = i % 5 === 0 && k === 1 ? 80 + random(80) : random(20);
            out.push(...(await write(goalId, hold, random(6) === 0)));
          }
          return out;
        }),
      );
      writing = false;
      await reader;

      const all = results.flat();
      const committed = new Set(all.filter((id) => !id.startsWith('rolled-back:')));
      const rolledBack = new Set(all.filter((id) => id.startsWith('rolled-back:')).map((id) => id.slice('rolled-back:'.length)));
      const ids = seen.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length); // exactly once
      expect(ids.filter((id) => rolledBack.has(id))).toEqual([]); // nothing rolled back
      expect(ids.filter((id) => !committed.has(id))).toEqual([]); // nothing else
      expect([...committed].filter((id) => !ids.includes(id))).toEqual([]); // nothing missed
      for (let i = 1; i < seen.length; i++) {
        if (!cursorBefore(seen[i - 1].cursor, seen[i].cursor))
          throw new Error(`out of order: ${seen[i - 1].cursor} then ${seen[i].cursor}`);
      }
    }
  }, 60_000);
});

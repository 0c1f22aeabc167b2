import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ACTIVITY } from '../activities/activity.kind.js';
import { ActorsService } from '../actors/actors.service.js';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import type { Caller, Role } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { FundersService } from '../funders/funders.service.js';
import { GOAL } from '../goals/goal.kind.js';
import { checkDigit } from '../common/organisation-number.js';
import { NarrativesService } from '../narratives/narratives.service.js';
import { Mailer } from '../notifications/mailer.js';
import { SubscriptionsService } from '../notifications/subscriptions.service.js';
import { dayIn } from '../common/calendar.js';
import { Environment } from '../config/environment.js';
import { FRUIT } from '../low-hanging-fruits/low-hanging-fruit.kind.js';
import { kindOf, PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import { PlanItems } from '../plan-items/plan-items.service.js';
import type { PlanItemState, RiskState, Status, SubjectType } from '../plan-items/traffic-light.js';
import { RISK } from '../risks/risk.kind.js';
import { DEMO_RISKS, demoActorsOf, ENGAGEMENT_LADDER } from './demo-risks-actors.js';
import {
  DEMO_CLUSTERS,
  DEMO_COMMENTS,
  DEMO_FUNDERS,
  DEMO_STATE_COMMENTS,
  type DemoPlan,
  demoPlanOf,
  FINDIT_NARRATIVE,
} from './demo-plan.js';

const DAY = 86_400_000;

/** The common indicators Vinnova's clusters adopt (shipped with Styrman, fixed ids). */
const DEMO_INDICATORS = {
  RCO01: '00000000-0000-4000-8000-0000000c0001',
  RCO10: '00000000-0000-4000-8000-0000000c0010',
  RCR02: '00000000-0000-4000-8000-0000000c1002',
};

/** Fictional member firms: organisation numbers made up, with valid check digits, and their enterprise sizes. */
const DEMO_FIRMS = Array.from({ length: 14 }, (_, i) => {
  const nine = `559${String(310_000 + i * 1_733).padStart(6, '0')}`;
  return {
    number: `${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`,
    size: (['micro', 'small', 'small', 'medium', 'micro', 'large', 'small'] as const)[i % 7],
  };
});

/** The clusters Vinnova funds in the demo, in the order their firms overlap. */
const VINNOVA_FUNDED = DEMO_FUNDERS.find((f) => f.name === 'Vinnova')!.fundings.map((g) => g.cluster);

/** A small deterministic random source, so that every demo tells the same story. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dateIn = (days: number, now: number) => new Date(now + days * DAY).toISOString().slice(0, 10);

interface Entry {
  at: Date;
  status: Status;
  state: PlanItemState | null;
  comment: string | null;
}

type ItemState = 'planned' | 'ongoing' | 'done' | 'cancelled';

/** The demo's keys, one per role but admin. */
export interface DemoKeys {
  editor: string;
  funder: string;
  viewer: string;
}

/**
 * Loads the demo into an empty database, through the same services as the
 * API. Only the backdated history (status changes and measurements over the
 * past year) is written directly, and it keeps every invariant: an item's
 * current status and state are those of its newest history entry.
 */
@Injectable()
export class DemoService {
  private readonly logger = new Logger(DemoService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysService,
    private readonly clusters: ClustersService,
    private readonly funders: FundersService,
    private readonly items: PlanItems,
    private readonly actors: ActorsService,
    private readonly narratives: NarrativesService,
    private readonly subscriptions: SubscriptionsService,
    private readonly mailer: Mailer,
    private readonly env: Environment,
  ) {}

  /**
   * Loads the demo unless the database already holds a plan; the demo keys
   * (an editor, a funder and a viewer: the admin key is the one start-up made
   * or ADMIN_API_KEY), or undefined when nothing was loaded.
   */
  async loadIfEmpty(now = Date.now()): Promise<DemoKeys | undefined> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM cluster');
    if (n > 0) return undefined;
    const adminCaller = await this.adminCaller();

    const clusterIds = new Map<string, string>();
    for (const c of DEMO_CLUSTERS) {
      const { homeTask: _task, leader: _leader, ...fields } = c;
      clusterIds.set(c.name, (await this.clusters.create(adminCaller, fields)).id);
    }
    const funderIds = new Map<string, string>();
    const year = new Date(now).getUTCFullYear();
    for (const f of DEMO_FUNDERS) {
      const funder = await this.funders.create(adminCaller, {
        name: f.name,
        kind: f.kind,
        reportingPeriod: f.reportingPeriod,
        // The quarterly funder's last report is due soon, so that the demo's outbox shows a reminder.
        reportDueDays: f.reportingPeriod === 'quarterly' ? this.dueSoon(now) : undefined,
      });
      funderIds.set(f.name, funder.id);
      for (const g of f.fundings) {
        await this.funders.createFunding(adminCaller, funder.id, {
          clusterId: clusterIds.get(g.cluster)!,
          programme: g.programme,
          amount: g.amount,
          startsOn: `${year + g.fromYear}-01-01`,
          endsOn: `${year + g.toYear}-12-31`,
        });
      }
    }
    // The initiatives and funders were registered before their year of history began.
    const registered = new Date(now - 400 * DAY);
    for (const table of ['cluster', 'funder', 'funding']) {
      await this.dataSource.query(`UPDATE ${table} SET created_at = $1, updated_at = $1`, [registered]);
    }

    let editorSecret = '';
    for (const [index, c] of DEMO_CLUSTERS.entries()) {
      const editor = await this.key(c.leader, 'editor', { clusterIds: [clusterIds.get(c.name)!] });
      if (index === 0) editorSecret = editor.secret;
      if (c.name === 'Findit') await this.subscribe(editor.caller);
      if (c.name === 'Findit') await this.narrative(clusterIds.get(c.name)!, editor.caller, now);
      await this.plan(clusterIds.get(c.name)!, demoPlanOf(c.name), c.homeTask, editor.caller, random(index + 1), now, c.redReason);
      await this.risks(clusterIds.get(c.name)!, editor.caller, random(100 + index), now);
      await this.stakeholders(clusterIds.get(c.name)!, c.name, c.region, editor.caller, random(200 + index), now);
      const vinnova = VINNOVA_FUNDED.indexOf(c.name);
      if (vinnova >= 0) await this.programmeIndicators(clusterIds.get(c.name)!, c.name, vinnova, editor.caller, random(300 + index), now);
    }
    await this.backdateRevisions();
    const funder = await this.key('Vinnova programme officer', 'funder', { funderId: funderIds.get('Vinnova')! });
    const viewer = await this.key('Region Gävleborg dashboard', 'viewer');
    this.logger.log(`Demo loaded: ${DEMO_CLUSTERS.length} clusters, ${DEMO_FUNDERS.length} funders, a year of history`);
    return { editor: editorSecret, funder: funder.secret, viewer: viewer.secret };
  }

  /**
   * Every demo row as it is now, recorded as its one `created` revision at its backdated creation, so that reports,
   * the events feed and `asOf` reads of the past year find the plan as a live read shows it. The services recorded
   * a `created` revision of each row as it was written (dated now, with today's createdAt): those are replaced in the
   * same transaction, or every subject would be created twice, with two createdAts. The revision log is append-only;
   * its guard is lifted for that one statement, inside this transaction, on a database that held no plan.
   */
  private async backdateRevisions(): Promise<void> {
    const cluster = {
      cluster: 't.id',
      funder: 'NULL::uuid',
      funding: 't.cluster_id',
      // Every kind of plan item (its table is named as its subject type).
      ...Object.fromEntries(PLAN_ITEM_KINDS.map((kind) => [kind.table, 't.cluster_id'])),
      actor: 't.cluster_id',
      narrative: 't.cluster_id',
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`ALTER TABLE revision DISABLE TRIGGER tr_revision__append_only`);
      for (const table of Object.keys(cluster)) {
        await manager.query(
          `DELETE FROM revision r USING "${table}" t WHERE r.subject_type = '${table}' AND r.subject_id = t.id AND r.kind = 'created'`,
        );
      }
      await manager.query(`ALTER TABLE revision ENABLE TRIGGER tr_revision__append_only`);
      for (const [table, clusterId] of Object.entries(cluster)) {
        await manager.query(
          `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
           SELECT pg_current_xact_id()::text::bigint, '${table}', t.id, ${clusterId}, t.version, 'created', to_jsonb(t), 'Demo data',
                  date_trunc('milliseconds', t.created_at)
           FROM "${table}" t ORDER BY t.created_at, t.id`,
        );
      }
    });
  }

  /**
   * Findit's narrative of the last half-year that has ended (its report to Vinnova, which asks half-yearly), written
   * three weeks after it ended: not in the half-year's report as known at its end, in every report known later and
   * in a submission of it.
   */
  private async narrative(clusterId: string, editor: Caller, now: number): Promise<void> {
    const today = new Date(now);
    const year = today.getUTCFullYear();
    const period = today.getUTCMonth() < 6 ? `${year - 1}-H2` : `${year}-H1`;
    // Three weeks after the half-year ended (21 July, or 21 January), and never later than yesterday.
    const written = new Date(Math.min(Date.UTC(year, period.endsWith('H1') ? 6 : 0, 21, 9), now - DAY));
    await this.narratives.put(editor, clusterId, period, FINDIT_NARRATIVE, undefined);
    await this.dataSource.query(`UPDATE narrative SET created_at = $1, updated_at = $1 WHERE cluster_id = $2`, [written, clusterId]);
  }

  /** The oldest admin key that is not revoked (start-up makes sure there is one): it records the fundings. */
  private async adminCaller(): Promise<Caller> {
    const [admin] = await this.dataSource.query<{ id: string; name: string }[]>(
      `SELECT id, name FROM api_key WHERE role = 'admin' AND revoked_at IS NULL ORDER BY created_at, id LIMIT 1`,
    );
    if (!admin) throw new Error('The demo needs an admin key; start-up makes one (or set ADMIN_API_KEY).');
    return { keyId: admin.id, name: admin.name, role: 'admin', clusterIds: [], funderId: null };
  }

  /**
   * The days after a quarter that make the last ended quarter's report due within a reminder's window today: 14 days
   * before (or, when the quarter ended less than 5 days ago, 3 days before; 1 day ago, overdue).
   */
  private dueSoon(now: number): number {
    const today = dayIn(this.env.REPORT_TIME_ZONE, new Date(now));
    const [year, month] = today.split('-').map(Number);
    const quarterStartMonth = Math.floor((month - 1) / 3) * 3; // 0-based month the current quarter starts in
    const lastEnded = new Date(Date.UTC(year, quarterStartMonth, 0)); // the day before it
    const sinceEnd = Math.round((Date.parse(`${today}T00:00:00Z`) - lastEnded.getTime()) / 86_400_000);
    if (sinceEnd >= 5) return sinceEnd + 10;
    if (sinceEnd >= 2) return sinceEnd + 2;
    return 0;
  }

  /**
   * Findit's contact subscribes to every topic and confirms, as if the link in the confirmation email was opened:
   * the outbox shows the confirmation and the reminders. Only when emails can be sent (with the embedded database,
   * as .eml files in STYRMAN_DATA_DIR/outbox).
   */
  private async subscribe(caller: Caller): Promise<void> {
    if (!this.mailer.configured) return;
    const subscription = await this.subscriptions.create(caller, {
      email: 'kontakt@findit.example.org',
      language: 'sv',
      topics: ['submission_due', 'submission_decided', 'red_status', 'weekly_digest'],
    });
    await this.subscriptions.confirmById(subscription.id);
  }

  private async key(name: string, role: Role, extra: { clusterIds?: string[]; funderId?: string } = {}) {
    const { secret, ...key } = await this.keys.create({ name, role, ...extra });
    const caller: Caller = { keyId: key.id, name: key.name, role: key.role, clusterIds: key.clusterIds, funderId: key.funderId };
    return { secret, caller };
  }

  /**
   * One cluster's plan: goals with measurements, activities and fruits, each
   * with a history. Every item's `createdAt` is its first history entry, and a
   * done item's `completedAt` is the entry that made it done.
   */
  private async plan(
    clusterId: string,
    plan: DemoPlan,
    homeTask: string,
    caller: Caller,
    rnd: () => number,
    now: number,
    redReason?: string,
  ): Promise<void> {
    // The initiative's one red item today, with its reason: its first ongoing activity.
    const redActivity = redReason ? plan.activities.find((a) => a.state === 'ongoing') : undefined;
    // Some initiatives struggle more than others: the share of yellow and red differs per cluster.
    const trouble = 0.15 + rnd() * 0.45;
    const goalIds = new Map<string, string>();
    for (const g of plan.goals) {
      // Goals were set before the first measurement, ten months ago.
      const story = this.story(rnd, trouble, now, { begin: now - (310 + rnd() * 50) * DAY, homeTask: g.homeTask ? homeTask : undefined });
      const last = story.at(-1)!;
      const goal = await this.items.create(GOAL, caller, clusterId, {
        title: g.title,
        horizon: g.horizon,
        perspective: g.perspective,
        contributesToGoalId: g.contributesTo ? goalIds.get(g.contributesTo) : undefined,
        dueDate: dateIn(Math.round((g.dueInMonths ?? 12) * 30.4), now),
        indicator: g.indicator ? { unit: g.indicator.unit, baseline: g.indicator.baseline, target: g.indicator.target } : undefined,
        status: last.status,
        statusComment: last.comment ?? undefined,
      });
      goalIds.set(g.key, goal.id);
      await this.history('goal', goal.id, clusterId, story, caller);
      if (g.indicator) await this.measurements(goal.id, g.indicator, rnd, now, caller);
    }
    for (const a of plan.activities) {
      // Planned a month or two before it starts; started on its start date; done or cancelled near its due date.
      const story = this.story(rnd, trouble, now, {
        begin: now + (Math.min(a.startIn, 0) - 30 - rnd() * 30) * DAY,
        finalState: a.state,
        startsAt: now + a.startIn * DAY,
        endsAt: now + (a.dueIn - 3 + rnd() * 6) * DAY,
        endsRed: a === redActivity ? redReason : false,
      });
      const last = story.at(-1)!;
      const activity = await this.items.create(ACTIVITY, caller, clusterId, {
        title: a.title,
        owner: a.owner,
        goalId: goalIds.get(a.goal),
        startDate: dateIn(a.startIn, now),
        dueDate: dateIn(a.dueIn, now),
        state: last.state as ItemState,
        status: last.status,
        statusComment: last.comment ?? undefined,
      });
      await this.history('activity', activity.id, clusterId, story, caller);
    }
    for (const f of plan.fruits) {
      const story = this.story(rnd, trouble, now, {
        begin: now + (Math.min(f.whenIn, 0) - 60) * DAY,
        finalState: f.state,
        startsAt: now + (f.whenIn - 14) * DAY,
        endsAt: now + (f.whenIn - 1 + rnd() * 3) * DAY,
      });
      const last = story.at(-1)!;
      const fruit = await this.items.create(FRUIT, caller, clusterId, {
        what: f.what,
        how: f.how,
        when: dateIn(f.whenIn, now),
        goalId: goalIds.get(f.goal),
        state: last.state as ItemState,
        status: last.status,
        statusComment: last.comment ?? undefined,
      });
      await this.history('low_hanging_fruit', fruit.id, clusterId, story, caller);
    }
  }

  /**
   * A handful of the reasons initiatives fail, as the cluster's risks: their
   * lights change over the year like any item's; some were mitigated on the
   * way, one may have occurred.
   */
  private async risks(clusterId: string, caller: Caller, rnd: () => number, now: number): Promise<void> {
    const count = 4 + Math.floor(rnd() * 2);
    const offset = Math.floor(rnd() * DEMO_RISKS.length);
    for (let i = 0; i < count; i++) {
      const r = DEMO_RISKS[(offset + i) % DEMO_RISKS.length];
      const roll = rnd();
      const final: RiskState = roll < 0.3 ? 'mitigated' : roll < 0.38 ? 'occurred' : 'open';
      // A risk that occurred is red today, and says why; the others were handled on the way.
      const story = this.story(rnd, 0.5, now, {
        begin: now - (300 + rnd() * 40) * DAY,
        endsRed: final === 'occurred' ? `${r.title}: it happened.` : false,
      });
      const turn = story.length > 2 ? story[story.length - 2].at.getTime() : now;
      const entries = story.map((e, k) => ({
        ...e,
        state: k === story.length - 1 || e.at.getTime() >= turn ? final : 'open',
        comment: k > 0 && k === story.length - 2 && final !== 'open' ? `${e.comment ?? ''} Risk ${final}.`.trim() : e.comment,
      }));
      const last = entries.at(-1)!;
      // A risk's likelihood drops once it is mitigated.
      const likelihood = final === 'mitigated' ? Math.max(1, r.likelihood - 1) : r.likelihood;
      const risk = await this.items.create(RISK, caller, clusterId, {
        title: r.title,
        cause: r.cause,
        response: r.response,
        likelihood,
        impact: r.impact,
        owner: r.owner,
        state: last.state,
        status: last.status,
        statusComment: last.comment ?? undefined,
      });
      await this.history('risk', risk.id, clusterId, entries, caller);
    }
  }

  /**
   * The stakeholder analysis: the region's organisations and the firms around
   * the initiative, identified a year ago and moving up the engagement ladder
   * during the year (the inner core further than the outer), each step kept in
   * the actor's history on the day it was taken.
   */
  private async stakeholders(clusterId: string, cluster: string, region: string, caller: Caller, rnd: () => number, now: number) {
    for (const a of demoActorsOf(cluster, region)) {
      const top = a.core === 'inner' ? 1 + Math.floor(rnd() * 3) : Math.floor(rnd() * 3);
      const begin = now - (330 + rnd() * 30) * DAY;
      const steps = ENGAGEMENT_LADDER.slice(0, top + 1).map((engagement, k) => ({
        engagement,
        at: new Date(k === 0 ? begin : begin + ((now - DAY - begin) * (k + rnd() * 0.5)) / (top + 1)),
      }));
      const actor = await this.actors.create(caller, clusterId, {
        name: a.name,
        kind: a.kind,
        core: a.core,
        role: a.role,
        engagement: steps.at(-1)!.engagement,
      });
      for (const step of steps) {
        await this.dataSource.query(
          `INSERT INTO actor_engagement (actor_id, cluster_id, kind, core, engagement, author, author_key_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [actor.id, clusterId, a.kind, a.core, step.engagement, caller.name, caller.keyId, step.at],
        );
      }
      await this.dataSource.query('UPDATE actor SET created_at = $2, updated_at = $3 WHERE id = $1', [
        actor.id,
        new Date(begin),
        steps.at(-1)!.at,
      ]);
    }
  }

  /**
   * A believable history: it begins green (and planned) when the item was
   * made, the light changes a few times with comments, the state changes on
   * the item's dates (started on its start date, done or cancelled near its
   * due date) with a comment that says so. The last entry is today's, recorded
   * by the create call itself; an item that is still planned has no entry
   * saying it was delivered.
   */
  private story(
    rnd: () => number,
    trouble: number,
    now: number,
    when: { begin: number; finalState?: ItemState; startsAt?: number; endsAt?: number; homeTask?: string; endsRed?: string | false },
  ): Entry[] {
    const latest = now - DAY; // backdated entries lie before today's
    const begin = Math.min(when.begin, now - 30 * DAY);
    const final = when.finalState ?? null;
    const transitions: { at: number; state: ItemState }[] = [];
    if (final === 'ongoing' || final === 'done' || final === 'cancelled') {
      const started = Math.min(Math.max(when.startsAt ?? begin, begin + DAY), latest - 2 * DAY);
      if (final !== 'cancelled') transitions.push({ at: started, state: 'ongoing' });
      if (final !== 'ongoing') transitions.push({ at: Math.min(Math.max(when.endsAt ?? latest, started + DAY), latest), state: final });
    }
    const stateAt = (at: number): ItemState | null =>
      final === null ? null : (transitions.filter((t) => t.at <= at).at(-1)?.state ?? 'planned');

    const entries: Entry[] = [{ at: new Date(begin), status: 'green', state: stateAt(begin), comment: null }];
    const changes = 1 + Math.floor(rnd() * 4);
    const lights: { at: number; status: Status; comment: string }[] = [];
    for (let i = 1; i <= changes; i++) {
      const at = Math.min(begin + ((now - begin) * i) / (changes + 1) + rnd() * DAY, latest);
      const roll = rnd();
      const status: Status = roll < trouble * 0.25 ? 'red' : roll < trouble ? 'yellow' : 'green';
      const pool = DEMO_COMMENTS[status];
      lights.push({ at, status, comment: when.homeTask && i === 1 ? when.homeTask : pool[Math.floor(rnd() * pool.length)] });
    }
    // How the light stands today: red only where the initiative has a reason to be (`endsRed`), with that reason;
    // elsewhere a red on the way was met, and the item is yellow while it recovers.
    const lastLight = lights.at(-1)!;
    if (typeof when.endsRed === 'string') {
      Object.assign(lastLight, { status: 'red', comment: when.endsRed });
    } else if (lastLight.status === 'red') {
      Object.assign(lastLight, { status: 'yellow', comment: 'Recovering: a plan to get back on track is agreed.' });
    }
    const events = [
      ...lights.map((l) => ({ ...l, kind: 'light' as const })),
      ...transitions.map((t) => ({ at: t.at, state: t.state, kind: 'state' as const })),
    ].sort((a, b) => a.at - b.at);
    let status: Status = 'green';
    let delivered = false;
    for (const e of events) {
      // Done work is green: delivered is delivered, whatever the light was on the way, and no light changes after it.
      if (delivered) continue;
      if (e.kind === 'light') {
        status = e.status;
        entries.push({ at: new Date(e.at), status, state: stateAt(e.at), comment: e.comment });
      } else {
        if (e.state === 'done') {
          status = 'green';
          delivered = true;
        }
        const said = DEMO_STATE_COMMENTS[e.state as 'ongoing' | 'done' | 'cancelled'];
        entries.push({ at: new Date(e.at), status, state: e.state, comment: said[status] });
      }
    }
    const last = entries.at(-1)!;
    // Today's entry, where the story ends: recorded by the create call.
    entries.push({
      at: new Date(now),
      status: last.status,
      state: final,
      comment: last.status === 'green' ? 'Reviewed at the monthly status meeting.' : last.comment,
    });
    return entries;
  }

  /**
   * Writes the backdated entries of a story (all but today's, which the create
   * call wrote), then dates the item as its history says: made at the first
   * entry, completed at the entry that made it done.
   */
  private async history(subjectType: SubjectType, subjectId: string, clusterId: string, story: Entry[], caller: Caller): Promise<void> {
    await this.backdateEntries(subjectType, subjectId, clusterId, story.slice(0, -1), caller);
    const kind = kindOf(subjectType)!;
    const table = kind.table;
    await this.dataSource.query(`UPDATE ${table} SET created_at = $2 WHERE id = $1`, [subjectId, story[0].at]);
    if (kind.states?.done) {
      const done = story.find((e) => e.state === kind.states?.done);
      if (done) await this.dataSource.query(`UPDATE ${table} SET completed_at = $2 WHERE id = $1`, [subjectId, done.at]);
    }
  }

  private async backdateEntries(
    subjectType: SubjectType,
    subjectId: string,
    clusterId: string,
    entries: Entry[],
    caller: Caller,
  ): Promise<void> {
    for (const e of entries) {
      await this.dataSource.query(
        `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, comment, author, author_key_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [subjectType, subjectId, clusterId, e.status, e.state, e.comment, caller.name, caller.keyId, e.at],
      );
    }
  }

  /**
   * Vinnova's programme indicators in a cluster it funds: goals adopting RCO01 (enterprises supported, by size),
   * RCO10 (enterprises cooperating with research) and RCR02 (private investment), measured in the last half-year
   * that has ended and in the current one. The firms are fictional (valid check digits), and each cluster shares
   * some with the next, so that the programme's totals count them once and `overlap` says how many.
   */
  private async programmeIndicators(
    clusterId: string,
    cluster: string,
    position: number,
    caller: Caller,
    rnd: () => number,
    now: number,
  ): Promise<void> {
    const firms = Array.from({ length: 7 }, (_, i) => DEMO_FIRMS[(position * 4 + i) % DEMO_FIRMS.length]);
    const today = new Date(now);
    const year = today.getUTCFullYear();
    // The last half-year that has ended: its second and fifth months; and a month of the current one.
    const half = today.getUTCMonth() >= 6 ? { year, month: 0 } : { year: year - 1, month: 6 };
    const day = (monthsAfter: number) => new Date(Date.UTC(half.year, half.month + monthsAfter, 15)).toISOString().slice(0, 10);
    const measured = [day(1), day(4), day(7)].filter((d) => Date.parse(d) < now - DAY);
    const goals = [
      { definitionId: DEMO_INDICATORS.RCO01, title: `RCO01: member firms ${cluster} supports in development projects`, target: 25 },
      { definitionId: DEMO_INDICATORS.RCO10, title: `RCO10: firms ${cluster} brings together with research`, target: 12 },
      { definitionId: DEMO_INDICATORS.RCR02, title: `RCR02: private investment matching ${cluster}’s public funding`, target: 2_000_000 },
    ];
    for (const [g, goal] of goals.entries()) {
      const story = this.story(rnd, 0.2, now, { begin: now - 330 * DAY });
      const last = story.at(-1)!;
      const created = await this.items.create(GOAL, caller, clusterId, {
        title: goal.title,
        horizon: 'short_term',
        perspective: 'business',
        indicator: { definitionId: goal.definitionId, baseline: 0, target: goal.target },
        status: last.status,
        statusComment: last.comment ?? undefined,
      });
      await this.history('goal', created.id, clusterId, story, caller);
      for (const [m, measuredOn] of measured.entries()) {
        // RCO01: the firms supported so far; RCO10: every other one of them; RCR02: a sum in euros.
        const supported = firms.slice(0, 3 + m * 2);
        const organisations =
          g === 0
            ? supported.map((f) => ({ number: f.number, size: f.size }))
            : g === 1
              ? supported.filter((_, i) => i % 2 === 0).map((f) => ({ number: f.number, size: null }))
              : [];
        const value = g === 2 ? Math.round((250_000 + position * 90_000) * (m + 1) * (0.9 + rnd() * 0.2)) : organisations.length;
        const [{ id }] = await this.dataSource.query<{ id: string }[]>(
          `INSERT INTO measurement (goal_id, definition_id, value, measured_on, author, author_key_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [created.id, goal.definitionId, value, measuredOn, caller.name, caller.keyId, new Date(Date.parse(measuredOn) + DAY)],
        );
        if (organisations.length > 0) {
          await this.dataSource.query(
            `INSERT INTO measurement_organisation (measurement_id, organisation_number, enterprise_size)
             SELECT $1, o.number, o.size::enterprise_size FROM unnest($2::varchar[], $3::text[]) AS o(number, size)`,
            [id, organisations.map((o) => o.number), organisations.map((o) => o.size)],
          );
        }
      }
    }
  }

  /** Monthly measurements over the past year, recorded the day after they were measured. */
  private async measurements(
    goalId: string,
    indicator: { baseline: number; target: number; reached: number; decimals?: number },
    rnd: () => number,
    now: number,
    caller: Caller,
  ) {
    for (let month = 10; month >= 1; month--) {
      const measuredOn = new Date(now - month * 30 * DAY);
      const share = ((10 - month + 1) / 10) * indicator.reached * (0.85 + rnd() * 0.3);
      const scale = 10 ** (indicator.decimals ?? 0); // whole numbers where the unit counts things
      const value = Math.round((indicator.baseline + (indicator.target - indicator.baseline) * share) * scale) / scale;
      await this.dataSource.query(
        `INSERT INTO measurement (goal_id, value, measured_on, comment, author, author_key_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          goalId,
          value,
          measuredOn.toISOString().slice(0, 10),
          month === 1 ? 'Latest count' : null,
          caller.name,
          caller.keyId,
          new Date(measuredOn.getTime() + DAY),
        ],
      );
    }
  }
}

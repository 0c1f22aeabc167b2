import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service.js';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import type { Caller, Role } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { FundersService } from '../funders/funders.service.js';
import { GoalsService } from '../goals/goals.service.js';
import { LowHangingFruitsService } from '../low-hanging-fruits/low-hanging-fruits.service.js';
import type { ItemState, Status, SubjectType } from '../status/traffic-light.js';
import { DEMO_ACTIVITIES, DEMO_CLUSTERS, DEMO_COMMENTS, DEMO_FRUITS, DEMO_FUNDERS, DEMO_GOALS } from './demo-plan.js';

const DAY = 86_400_000;

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
  state: ItemState | null;
  comment: string | null;
}

export interface DemoKeys {
  admin: string;
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
    private readonly goals: GoalsService,
    private readonly activities: ActivitiesService,
    private readonly fruits: LowHangingFruitsService,
  ) {}

  /** Loads the demo unless the database already holds a plan; the demo keys, or undefined when nothing was loaded. */
  async loadIfEmpty(now = Date.now()): Promise<DemoKeys | undefined> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM cluster');
    if (n > 0) return undefined;
    const admin = await this.key('Styrman demo admin', 'admin');
    const adminCaller = admin.caller;

    const clusterIds = new Map<string, string>();
    for (const c of DEMO_CLUSTERS) {
      const { homeTask: _task, leader: _leader, ...fields } = c;
      clusterIds.set(c.name, (await this.clusters.create(fields)).id);
    }
    const funderIds = new Map<string, string>();
    const year = new Date(now).getUTCFullYear();
    for (const f of DEMO_FUNDERS) {
      const funder = await this.funders.create({ name: f.name, kind: f.kind, reportingPeriod: f.reportingPeriod });
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

    let editorSecret = '';
    for (const [index, c] of DEMO_CLUSTERS.entries()) {
      const editor = await this.key(c.leader, 'editor', { clusterIds: [clusterIds.get(c.name)!] });
      if (index === 0) editorSecret = editor.secret;
      await this.plan(clusterIds.get(c.name)!, c.homeTask, editor.caller, random(index + 1), now);
    }
    const funder = await this.key('Vinnova programme officer', 'funder', { funderId: funderIds.get('Vinnova')! });
    const viewer = await this.key('Region Gävleborg dashboard', 'viewer');
    this.logger.log(`Demo loaded: ${DEMO_CLUSTERS.length} clusters, ${DEMO_FUNDERS.length} funders, a year of history`);
    return { admin: admin.secret, editor: editorSecret, funder: funder.secret, viewer: viewer.secret };
  }

  private async key(name: string, role: Role, extra: { clusterIds?: string[]; funderId?: string } = {}) {
    const { key, secret } = await this.keys.create({ name, role, ...extra });
    const caller: Caller = { keyId: key.id, name: key.name, role: key.role, clusterIds: key.clusterIds, funderId: key.funderId };
    return { secret, caller };
  }

  /** One cluster's plan: goals with measurements, activities and fruits, each with a year of history. */
  private async plan(clusterId: string, homeTask: string, caller: Caller, rnd: () => number, now: number): Promise<void> {
    // Some initiatives struggle more than others: the share of yellow and red differs per cluster.
    const trouble = 0.15 + rnd() * 0.45;
    const goalIds = new Map<string, string>();
    for (const g of DEMO_GOALS) {
      const story = this.story(rnd, trouble, now, null, g.key === 'plan' ? homeTask : undefined);
      const last = story.at(-1)!;
      const goal = await this.goals.create(caller, clusterId, {
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
      await this.backdate('goal', goal.id, clusterId, story.slice(0, -1), caller);
      if (g.indicator) await this.measurements(goal.id, g.indicator, rnd, now, caller);
    }
    for (const a of DEMO_ACTIVITIES) {
      const story = this.story(rnd, trouble, now, a.state, undefined, now + a.startIn * DAY);
      const last = story.at(-1)!;
      const activity = await this.activities.create(caller, clusterId, {
        title: a.title,
        owner: a.owner,
        goalId: goalIds.get(a.goal),
        startDate: dateIn(a.startIn, now),
        dueDate: dateIn(a.dueIn, now),
        state: last.state!,
        status: last.status,
        statusComment: last.comment ?? undefined,
      });
      await this.backdate('activity', activity.id, clusterId, story.slice(0, -1), caller);
    }
    for (const f of DEMO_FRUITS) {
      const story = this.story(rnd, trouble, now, f.state, undefined, now + (f.whenIn - 60) * DAY);
      const last = story.at(-1)!;
      const fruit = await this.fruits.create(caller, clusterId, {
        what: f.what,
        how: f.how,
        when: dateIn(f.whenIn, now),
        goalId: goalIds.get(f.goal),
        state: last.state!,
        status: last.status,
        statusComment: last.comment ?? undefined,
      });
      await this.backdate('low_hanging_fruit', fruit.id, clusterId, story.slice(0, -1), caller);
    }
  }

  /**
   * A believable history: it begins green, the light changes a few times over
   * the past year with comments, and the state moves towards where it ends.
   * The last entry is today's, recorded by the create call itself.
   */
  private story(
    rnd: () => number,
    trouble: number,
    now: number,
    finalState: ItemState | null,
    homeTask?: string,
    startAt?: number,
  ): Entry[] {
    const begin = Math.min(startAt ?? now - (200 + rnd() * 160) * DAY, now - 30 * DAY);
    const states: (ItemState | null)[] =
      finalState === null
        ? [null]
        : finalState === 'planned'
          ? ['planned']
          : finalState === 'ongoing'
            ? ['planned', 'ongoing']
            : ['planned', 'ongoing', finalState];
    const changes = 1 + Math.floor(rnd() * 4);
    const entries: Entry[] = [{ at: new Date(begin), status: 'green', state: states[0]!, comment: null }];
    for (let i = 1; i <= changes; i++) {
      const at = new Date(begin + ((now - begin) * i) / (changes + 1) + rnd() * DAY);
      const roll = rnd();
      const status: Status = roll < trouble * 0.4 ? 'red' : roll < trouble ? 'yellow' : 'green';
      const state = states[Math.min(states.length - 1, Math.floor((i / changes) * (states.length - 1)))] ?? null;
      const pool = DEMO_COMMENTS[status];
      const comment = homeTask && i === 1 ? homeTask : pool[Math.floor(rnd() * pool.length)];
      entries.push({ at, status, state, comment });
    }
    const last = entries.at(-1)!;
    // The current entry: where the story ends, recorded now.
    entries.push({
      at: new Date(now),
      status: last.status,
      state: states.at(-1)!,
      comment: last.status === 'green' ? 'Reviewed at the monthly status meeting.' : last.comment,
    });
    return entries;
  }

  private async backdate(subjectType: SubjectType, subjectId: string, clusterId: string, entries: Entry[], caller: Caller): Promise<void> {
    for (const e of entries) {
      await this.dataSource.query(
        `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, comment, author, author_key_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [subjectType, subjectId, clusterId, e.status, e.state, e.comment, caller.name, caller.keyId, e.at],
      );
    }
  }

  /** Monthly measurements over the past year, recorded the day after they were measured. */
  private async measurements(
    goalId: string,
    indicator: { baseline: number; target: number; reached: number },
    rnd: () => number,
    now: number,
    caller: Caller,
  ) {
    for (let month = 10; month >= 1; month--) {
      const measuredOn = new Date(now - month * 30 * DAY);
      const share = ((10 - month + 1) / 10) * indicator.reached * (0.85 + rnd() * 0.3);
      const value = Math.round((indicator.baseline + (indicator.target - indicator.baseline) * share) * 10) / 10;
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

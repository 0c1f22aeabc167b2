import { Injectable } from '@nestjs/common';
import { dayIn } from '../common/calendar.js';
import { Environment } from '../config/environment.js';
import { dueOn, duePeriods } from '../report-submissions/due-periods.js';
import { apiBaseUrl, callerOf, type Decided } from './outbox.js';
import { OutboxRepository } from './outbox.repository.js';
import { currentMoment } from './schedule.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { renderSubmissionDue } from './templates.js';

/** How often the due reminders are looked for (a confirmation makes the job due at once). */
const DUE_JOB_EVERY_MS = 3_600_000;

/** Decides the due reminders (14 days, 3 days, overdue) of missing and returned reports. */
@Injectable()
export class DueReminders {
  private readonly baseUrl: string;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly subscriptions: SubscriptionsService,
    private readonly env: Environment,
  ) {
    this.baseUrl = apiBaseUrl(env);
  }

  /**
   * The due reminders: for every funding, each ended period whose report is missing or returned and has a reminder
   * on today's date (REPORT_TIME_ZONE); for every confirmed subscription to `submission_due`, those of fundings its
   * key may read, in its clusters.
   */
  async decide(now: Date): Promise<Date> {
    const next = new Date(now.getTime() + DUE_JOB_EVERY_MS);
    const subscribers = await this.outbox.confirmedSubscribers(['submission_due']);
    if (subscribers.length === 0) return next;
    const timeZone = this.env.REPORT_TIME_ZONE;
    const today = dayIn(timeZone, now);
    const fundings = await this.outbox.dueFundings();
    if (fundings.length === 0) return next;
    const newest = await this.outbox.newestStates();
    const stateOf = new Map(
      newest.map((s) => [`${s.cluster_id}/${s.funder_id}/${s.period_from.getTime()}/${s.period_to.getTime()}`, s.state]),
    );
    interface Due {
      key: string;
      fundingIds: string[];
      clusterId: string;
      clusterName: string;
      funderName: string;
      period: string;
      dueOn: string;
      moment: NonNullable<ReturnType<typeof currentMoment>>;
      returned: boolean;
    }
    const due = new Map<string, Due>();
    // Fundings of one rhythm over the same days owe the same periods: counted out once.
    const periodsOf = new Map<string, ReturnType<typeof duePeriods>>();
    for (const f of fundings) {
      const span = `${f.reporting_period}/${f.starts_on}/${f.ends_on}`;
      let periods = periodsOf.get(span);
      if (!periods) periodsOf.set(span, (periods = duePeriods(f.reporting_period, f.starts_on, f.ends_on, timeZone, now)));
      for (const p of periods) {
        const state = stateOf.get(`${f.cluster_id}/${f.funder_id}/${p.from.getTime()}/${p.to.getTime()}`) ?? 'missing';
        if (state !== 'missing' && state !== 'returned') continue;
        const on = dueOn(p.toDate, f.report_due_days);
        const moment = currentMoment(p.toDate, on, today);
        if (!moment) continue;
        // One reminder per cluster, funder, period and moment, however many fundings owe it.
        const key = `submission_due:${f.cluster_id}:${f.funder_id}:${p.name}:${moment}`;
        const known = due.get(key);
        if (known) known.fundingIds.push(f.id);
        else
          due.set(key, {
            key,
            fundingIds: [f.id],
            clusterId: f.cluster_id,
            clusterName: f.cluster_name,
            funderName: f.funder_name,
            period: p.name,
            dueOn: on,
            moment,
            returned: state === 'returned',
          });
      }
    }
    if (due.size === 0) return next;
    const keys = [...due.keys()];
    const sent = await this.outbox.written(
      subscribers.map((s) => s.id),
      keys,
    );
    const already = new Set(sent.map((r) => `${r.subscription_id}/${r.dedupe_key}`));
    const fundingIds = [...new Set([...due.values()].flatMap((d) => d.fundingIds))];
    for (const s of subscribers) {
      const may = await this.outbox.readableFundings(callerOf(s), fundingIds, s.cluster_ids);
      const emails: Decided[] = [];
      for (const d of due.values()) {
        if (already.has(`${s.id}/${d.key}`) || !d.fundingIds.some((id) => may.has(id))) continue;
        emails.push({
          topic: 'submission_due',
          dedupe_key: d.key,
          cluster_id: d.clusterId,
          ...renderSubmissionDue(s.language, {
            clusterName: d.clusterName,
            funderName: d.funderName,
            period: d.period,
            dueOn: d.dueOn,
            moment: d.moment,
            daysLeft: Math.round((Date.parse(d.dueOn) - Date.parse(today)) / 86_400_000),
            returned: d.returned,
            reportUrl: `${this.baseUrl}/clusters/${d.clusterId}/report?period=${d.period}`,
            unsubscribeUrl: this.subscriptions.unsubscribeUrl(s.unsubscribe_token),
          }),
        });
      }
      await this.outbox.writeEmails(s.id, emails);
    }
    return next;
  }
}

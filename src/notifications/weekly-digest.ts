import { Injectable } from '@nestjs/common';
import { dayIn } from '../common/calendar.js';
import { Environment } from '../config/environment.js';
import { FollowUpService } from '../follow-up/follow-up.service.js';
import { apiBaseUrl, callerOf, type Decided } from './outbox.js';
import { OutboxRepository } from './outbox.repository.js';
import { isoWeek, mondayOf, nextDigestAt } from './schedule.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { digestLine, renderDigest } from './templates.js';

/** A digest is sent at most this long after its Monday 08:00 (an instance that was down catches up, a week later not). */
const DIGEST_LATE_MS = 24 * 3_600_000;

/** Decides the weekly digest of the items that need an update. */
@Injectable()
export class WeeklyDigest {
  private readonly baseUrl: string;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly followUp: FollowUpService,
    private readonly subscriptions: SubscriptionsService,
    private readonly env: Environment,
  ) {
    this.baseUrl = apiBaseUrl(env);
  }

  /**
   * The weekly digest, Mondays 08:00 in REPORT_TIME_ZONE: for every confirmed subscription to `weekly_digest`, one
   * email per cluster with items that need an update (as its key reads them), keyed by the week's Monday.
   */
  async decide(now: Date): Promise<Date> {
    const timeZone = this.env.REPORT_TIME_ZONE;
    const next = nextDigestAt(now, timeZone);
    const monday = mondayOf(now, timeZone);
    const since = next.getTime() - 7 * 86_400_000;
    // Only on the Monday itself (or a day late, after an outage): a first run in mid-week waits for the next Monday.
    if (now.getTime() < since || now.getTime() - since > DIGEST_LATE_MS) return next;
    for (const s of await this.outbox.confirmedSubscribers(['weekly_digest'])) {
      const caller = callerOf(s);
      // As of the Clock's day, not the real one: what the digest of that Monday lists.
      const page = await this.followUp.needsUpdate(caller, { limit: 200, offset: 0 }, dayIn(timeZone, now));
      const byCluster = new Map<string, typeof page.items>();
      for (const item of page.items) {
        if (s.cluster_ids && !s.cluster_ids.includes(item.clusterId)) continue;
        byCluster.set(item.clusterId, [...(byCluster.get(item.clusterId) ?? []), item]);
      }
      if (byCluster.size === 0) continue;
      const names = await this.outbox.clusterNames([...byCluster.keys()]);
      const emails: Decided[] = names.map((c) => ({
        topic: 'weekly_digest',
        dedupe_key: `weekly_digest:${c.id}:${monday}`,
        cluster_id: c.id,
        ...renderDigest(s.language, {
          clusterName: c.name,
          week: String(isoWeek(monday)),
          items: (byCluster.get(c.id) ?? []).map((i) =>
            digestLine(s.language, {
              kind: i.subject.type,
              title: i.subject.title,
              reasons: i.reasons,
              status: i.status,
              dueDate: i.dueDate,
            }),
          ),
          url: `${this.baseUrl}/needs-update?clusterId=${c.id}`,
          unsubscribeUrl: this.subscriptions.unsubscribeUrl(s.unsubscribe_token),
        }),
      }));
      await this.outbox.writeEmails(s.id, emails);
    }
    return next;
  }
}

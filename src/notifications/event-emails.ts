import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { transaction } from '../database/transaction-context.js';
import { type Cursor } from '../events/event-types.js';
import { EventsRepository } from '../events/events.repository.js';
import { EventsService } from '../events/events.service.js';
import type { EventResponse } from '../events/dto/event.dto.js';
import { apiBaseUrl, callerOf, type Decided, type SubscriberRow } from './outbox.js';
import { OutboxRepository } from './outbox.repository.js';
import { kindOf } from '../plan-item-kinds.js';
import { SUBJECT_TYPES } from '../plan-items/traffic-light.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { renderRedStatus, renderSubmissionDecided } from './templates.js';

/** Revisions the event dispatcher passes in one transaction. */
const DISPATCH_WINDOW = 200;
const STATUS_KINDS: readonly string[] = SUBJECT_TYPES;
const DECISION_TYPES = ['report_submission.acknowledged', 'report_submission.returned'];

/** Decides the emails of events (`submission_decided`, `red_status`), following the events feed. */
@Injectable()
export class EventEmails {
  private readonly baseUrl: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly events: EventsService,
    private readonly feed: EventsRepository,
    private readonly subscriptions: SubscriptionsService,
    env: Environment,
  ) {
    this.baseUrl = apiBaseUrl(env);
  }

  /**
   * Passes one window of the events feed for `submission_decided` and `red_status`; true when it passed a full
   * window (there may be more). With no subscription to either, it only moves the cursor to the head of the feed.
   */
  async dispatch(): Promise<boolean> {
    return transaction(this.dataSource, async () => {
      const cursor = await this.outbox.lockCursor();
      if (!cursor) return false; // another instance is dispatching
      const subscribers = await this.outbox.confirmedSubscribers(['submission_decided', 'red_status']);
      if (subscribers.length === 0) {
        await this.feed.moveCursorToHead('email_dispatch');
        return false;
      }
      const window = await this.feed.nextWindow(cursor, DISPATCH_WINDOW);
      if (window.length === 0) return false;
      const until: Cursor = { xid: window[window.length - 1].xid, position: window[window.length - 1].position };
      for (const s of subscribers) {
        const types = [
          ...(s.topics.includes('submission_decided') ? DECISION_TYPES : []),
          ...(s.topics.includes('red_status') ? STATUS_KINDS.map((k) => `${k}.status_changed`) : []),
        ];
        const page = await this.events.read(callerOf(s), cursor, {
          limit: DISPATCH_WINDOW,
          types,
          clusterIds: s.cluster_ids ?? undefined,
          until,
        });
        const emails: Decided[] = [];
        for (const e of page.items) {
          // Only what happened after the subscription was confirmed.
          if (new Date(e.occurredAt) < s.confirmed_at) continue;
          const email = await this.eventEmail(s, e);
          if (email) emails.push(email);
        }
        await this.outbox.writeEmails(s.id, emails);
      }
      await this.outbox.moveCursor(until);
      return window.length === DISPATCH_WINDOW;
    });
  }

  private async eventEmail(s: SubscriberRow, e: EventResponse): Promise<Decided | null> {
    const data = e.data;
    const unsubscribeUrl = this.subscriptions.unsubscribeUrl(s.unsubscribe_token);
    if (DECISION_TYPES.includes(e.type)) {
      const names = await this.outbox.names(data.clusterId, data.funderId);
      if (!names) return null;
      return {
        topic: 'submission_decided',
        dedupe_key: `event:${e.id}`,
        cluster_id: e.clusterId,
        ...renderSubmissionDecided(s.language, {
          clusterName: names.cluster_name,
          funderName: names.funder_name,
          period: String(data.period),
          decision: e.type === 'report_submission.acknowledged' ? 'acknowledged' : 'returned',
          comment: typeof data.decisionComment === 'string' ? data.decisionComment : null,
          url: `${this.baseUrl}/report-submissions/${e.subject.id}`,
          unsubscribeUrl,
        }),
      };
    }
    // A status change: only one to red. Its comment is the red status update's (the one nearest the event: the
    // update and its revision are written in one transaction, a moment apart).
    if (data.status !== 'red' || !e.clusterId) return null;
    const row = await this.outbox.redComment(e.clusterId, e.subject.id, e.occurredAt);
    if (!row) return null;
    const path = kindOf(e.subject.type)?.routes.path;
    return {
      topic: 'red_status',
      dedupe_key: `event:${e.id}`,
      cluster_id: e.clusterId,
      ...renderRedStatus(s.language, {
        clusterName: row.cluster_name,
        kind: e.subject.type,
        title: typeof data.title === 'string' ? data.title : '',
        comment: row.comment,
        author: e.author,
        url: `${this.baseUrl}/${path ?? 'clusters'}/${path ? e.subject.id : e.clusterId}`,
        unsubscribeUrl,
      }),
    };
  }
}

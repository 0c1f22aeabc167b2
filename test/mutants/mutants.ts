/**
 * Deliberate breaks of what Styrman promises, each with the suite that must catch it. `npm run test:mutants`
 * applies them one at a time to the compiled code (dist/), runs only the named suite, restores the code and
 * counts the breaks the suite killed (it failed) and those that survived (it passed: a promise nothing checks).
 *
 * `find` must occur exactly once in the source file and in its compiled JavaScript, so a list that no longer
 * matches the code fails loudly instead of testing nothing.
 */
export interface Mutant {
  /** What the break takes away, as the promise it breaks. */
  claim: string;
  /** The source file, from the project's root (src/… or migrations/…). */
  file: string;
  find: string;
  replace: string;
  /** Further edits of the same file that make up one break (each must occur once too). */
  and?: { find: string; replace: string }[];
  /** The e2e suite (a --testPathPatterns value) that must fail. */
  suite: string;
  /** Only the tests whose name matches (a --testNamePattern value), to keep the run short. */
  test?: string;
  /** Settings for the run (fewer property runs, say). */
  env?: Record<string, string>;
}

export const MUTANTS: Mutant[] = [
  {
    claim: "a streamed report's reader that takes nothing for REPORT_STALL_TIMEOUT_MS is disconnected, which frees its slot",
    file: 'src/reports/deliver/report-limiter.ts',
    find: 'Date.now() - since >= stallMs',
    replace: 'Date.now() - since < 0',
    suite: 'report-stream-budget',
  },
  {
    claim: 'the claim lock: instances claiming at once never take the same delivery, nor more than 2 of a webhook',
    file: 'src/webhooks/webhook-deliveries.repository.ts',
    find: 'await db(this.dataSource).query(`SELECT pg_advisory_xact_lock($1)`, [CLAIM_LOCK]);',
    replace: '',
    and: [{ find: 'FOR UPDATE OF l SKIP LOCKED)', replace: ')' }],
    suite: 'webhook-claims',
  },
  {
    claim: 'a status update locks its item and its cluster',
    file: 'src/plan-items/plan-items.service.ts',
    find: `' FOR UPDATE OF i FOR SHARE OF c'`,
    replace: `''`,
    suite: 'request-path',
    test: 'a status update',
  },
  {
    claim: 'the exactly-once feed: only revisions of transactions that have all ended',
    file: 'src/events/events.repository.ts',
    // The page's scan (the waiting readers' wake-up has the same condition, with another line after it).
    find: 'AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint\n           ${query.until',
    replace: '${query.until',
    suite: 'events-feed',
  },
  {
    claim: 'the exactly-once feed: the cursor is (xid, position), not the position alone',
    file: 'src/events/events.repository.ts',
    find: 'WHERE (r.xid, r.position) > (:afterXid::bigint, :afterPosition::bigint)',
    replace: 'WHERE r.position > :afterPosition::bigint',
    suite: 'events-feed',
  },
  {
    claim: 'events only about resources the caller may read now',
    file: 'src/events/visible-events.ts',
    find: 'ELSE ${inCluster.sql}',
    replace: 'ELSE true',
    suite: 'test/events.e2e',
    test: 'funder key only its clusters',
  },
  {
    claim: 'kept reports are kept per caller visibility (the clusters it may read)',
    file: 'src/reports/deliver/kept/kept-reports.ts',
    find: "[...key.clusterIds].sort().join(','),",
    replace: "'',",
    suite: 'report-delivery',
  },
  {
    claim: 'webhooks are signed',
    file: 'src/webhooks/sender.ts',
    find: "'webhook-signature': signature,",
    replace: "'webhook-signature': 'v1,unsigned',",
    suite: 'test/webhooks.e2e',
    test: 'delivers an event signed',
  },
  {
    claim: 'a report counts the measurements recorded by its knownAt (the end of its period unless asked)',
    file: 'src/reports/read/reports.repository.ts',
    find: 'WHERE m.goal_id = g.id AND m.measured_on <= :toDate AND m.created_at <= :knownAt',
    replace: 'WHERE m.goal_id = g.id AND m.measured_on <= :toDate',
    suite: 'past-reports',
    env: { TEMPORAL_RUNS: '40' },
  },
  {
    claim: 'the history is append-only, down to the database',
    file: 'migrations/1795783438849-ActionPlan.ts',
    find: "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';",
    replace: 'RETURN NULL;',
    suite: 'test/goals.e2e',
    test: 'append-only',
  },
  {
    claim: 'a stale If-Match changes nothing (412)',
    file: 'src/database/versioned-update.ts',
    find: '!ifMatch.includes(current.version)',
    replace: 'false',
    suite: 'versioned-writes',
  },
];

MUTANTS.push(
  {
    claim: 'an idempotent retry replays the first response and writes once',
    file: 'src/idempotency/idempotency.interceptor.ts',
    find: 'const stored = await this.claim(manager, apiKeyId, key, print);',
    replace: 'const stored = (await this.claim(manager, apiKeyId, key, print), undefined);',
    suite: 'test/idempotency.e2e',
  },
  {
    claim: 'every POST route takes an Idempotency-Key: its interceptor is bound to each',
    file: 'src/idempotency/idempotent-post.ts',
    find: 'applyDecorators(Post(path), UseInterceptors(IdempotencyInterceptor))',
    replace: 'applyDecorators(Post(path))',
    suite: 'test/idempotency.e2e',
  },
  {
    claim: 'a read is answered 304 only when If-None-Match names the current ETag',
    file: 'src/common/etag.ts',
    find: 'notModified = matchesIfNoneMatch(ifNoneMatch, etag);',
    replace: 'notModified = ifNoneMatch !== undefined;',
    suite: 'test/clusters.e2e',
    test: 'If-None-Match',
  },
  {
    claim: 'access is decided as of now: a funder whose funding was archived no longer reads the cluster',
    file: 'src/auth/access.ts',
    find: 'WHERE fv.funder_id = :callerFunderId AND fv.archived_at IS NULL)',
    replace: 'WHERE fv.funder_id = :callerFunderId)',
    suite: 'test/as-of.e2e',
    test: 'decides access as of now',
  },
  {
    claim: 'an allowed read shows the data asked for (the matrix reads its bodies, not only its status codes)',
    file: 'src/common/sql.ts',
    find: 'LIMIT :limit OFFSET :offset`,',
    replace: 'LIMIT 0 OFFSET :offset`,',
    suite: 'authorization-matrix',
    test: 'allowed cell',
  },
);

MUTANTS.push(
  {
    claim: 'a submitted report is frozen, down to the database',
    file: 'migrations/1796400000000-ReportSubmissions.ts',
    find: 'CREATE TRIGGER "tr_submitted_report__append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "submitted_report"',
    replace: 'CREATE TRIGGER "tr_submitted_report__append_only" BEFORE TRUNCATE ON "submitted_report"',
    suite: 'test/report-submissions.e2e',
  },
  {
    claim: "an ended period's report is byte-identical for ever: status changes recorded after it are not in it",
    file: 'src/reports/read/reports.repository.ts',
    find: 'WHERE su.cluster_id IN (:...ids) AND su.created_at >= :from AND su.created_at <= :to',
    replace: 'WHERE su.cluster_id IN (:...ids) AND su.created_at >= :from',
    suite: 'past-reports',
    env: { TEMPORAL_RUNS: '40' },
  },
);

MUTANTS.push({
  claim: 'the same report is the same workbook bytes whenever it is built (no wall-clock stamps in the zip)',
  file: 'src/reports/render/report-xlsx.ts',
  find: 'return stampZip(Buffer.concat(chunks), at);',
  replace: 'return Buffer.concat(chunks);',
  suite: 'report-sheets',
  test: 'same workbook bytes',
});

MUTANTS.push({
  claim: 'a printed workbook sheet repeats its header row on every page',
  file: 'src/reports/render/report-xlsx.ts',
  find: 'printTitlesRow: `${headerRow}:${headerRow}`,',
  replace: '',
  suite: 'funder-workbook',
  test: 'prints every sheet',
});

MUTANTS.push(
  {
    claim: 'the document says what the server checks: texts are not blank and carry no control characters',
    file: 'src/common/validators.ts',
    find: 'ApiProperty({ minLength: 1, pattern: TEXT_PATTERN }),',
    replace: '',
    suite: 'document-agreement',
    test: 'texts',
  },
  {
    claim: 'the document says request bodies are closed (unknown fields are refused)',
    file: 'src/openapi-hardening.ts',
    find: 'schema.additionalProperties = false;',
    replace: 'delete schema.additionalProperties;',
    suite: 'document-agreement',
    test: 'closed bodies',
  },
  {
    claim: 'a report link token never reaches a log line',
    file: 'src/common/logger.ts',
    find: 'return text.replace(LINK_TOKEN, `srl_${REDACTED}`);',
    replace: 'return text;',
    suite: 'report-links',
    test: 'never writes a link token',
  },
  {
    claim: "every webhook attempt re-checks that the webhook's key may still read the event's subject",
    file: 'src/webhooks/webhook-worker.ts',
    find: 'if (!(await this.mayRead(c))) {',
    replace: 'if (!(await this.mayRead(c)) && false) {',
    suite: 'webhook-rights',
  },
);

MUTANTS.push(
  {
    claim: 'one key holds at most EVENTS_MAX_WAITERS_PER_KEY long-polls (429 at once beyond)',
    file: 'src/events/waiter-budget.ts',
    find: 'if (mine.size >= this.env.EVENTS_MAX_WAITERS_PER_KEY) {',
    replace: 'if (false) {',
    suite: 'fair-use-events',
  },
  {
    claim: 'one key has at most MAX_IN_FLIGHT_PER_KEY requests in progress',
    file: 'src/auth/auth.guard.ts',
    find: 'if (now >= this.maxInFlight) {',
    replace: 'if (false) {',
    suite: 'rate-limit',
    test: 'MAX_IN_FLIGHT_PER_KEY',
  },
  {
    claim: 'late entries are read by access as of now: a funder that no longer funds the cluster gets 404',
    file: 'src/report-submissions/late-entries.service.ts',
    find: "if (!(await this.repository.readable(caller, 'cluster', submission.clusterId))) {",
    replace: "if (!(await this.repository.readable(caller, 'cluster', submission.clusterId)) && submission.id === '') {",
    suite: 'test/report-submissions.e2e',
    test: 'late-entries',
  },
  {
    claim: 'programme totals count an organisation once per cluster, however many measurements list it',
    file: 'src/indicators/indicator-totals.repository.ts',
    find: 'count(DISTINCT organisation_number)::numeric',
    replace: 'count(organisation_number)::numeric',
    suite: 'indicator-totals-property',
    test: 'oracle',
  },
);

MUTANTS.push({
  claim: 'each signed statement names the SHA-256 of the statement before it: removing or reordering one shows',
  file: 'src/signatures/statement.ts',
  find: 'previous,',
  replace: 'previous: null,',
  suite: 'signed-statements',
});

MUTANTS.push({
  claim: 'a read as of now goes to the replica only once it has replayed the primary’s WAL up to where the read began',
  file: 'src/database/replica-reads.ts',
  find: 'onReplica = caught.up === true;',
  replace: 'onReplica = true;',
  suite: 'test/replica.e2e',
  test: 'sends a read to the primary',
});

MUTANTS.push({
  claim: 'a paused reader of a streamed report holds one batch sized by bytes, not REPORT_BATCH_CLUSTERS clusters',
  file: 'src/reports/read/report-query.ts',
  find: 'return Math.max(1, Math.min(this.maxClusters, Math.floor(this.budget / perCluster)));',
  replace: 'return this.maxClusters;',
  suite: 'report-paused-memory',
});

MUTANTS.push(
  {
    claim: 'a due reminder is sent exactly once per subscription, cluster, funder, period and moment (its outbox key)',
    file: 'src/notifications/due-reminders.ts',
    find: 'const key = `submission_due:${f.cluster_id}:${f.funder_id}:${p.name}:${moment}`;',
    replace: 'const key = `submission_due:${f.cluster_id}:${f.funder_id}:${p.name}:${moment}:${today}`;',
    suite: 'notifications-year',
    test: 'two instances',
  },
  {
    claim: "an email is sent only while the subscription's key may read its cluster",
    file: 'src/notifications/email-sender.ts',
    find: "return readable ? null : 'Not sent: the API key of the subscription may no longer read this cluster.';",
    replace: 'return null;',
    suite: 'test/notifications.e2e',
    test: 'loses access',
  },
  {
    claim: 'the weekly digest is sent once per subscription, cluster and week, however often its job runs',
    file: 'src/notifications/weekly-digest.ts',
    find: 'dedupe_key: `weekly_digest:${c.id}:${monday}`,',
    replace: 'dedupe_key: `weekly_digest:${c.id}:${monday}:${now.getTime()}`,',
    suite: 'notifications-digest',
  },
  {
    claim:
      'kept indicator totals are kept per set of clusters the caller may read: a caller who lost a cluster never gets a copy holding it',
    file: 'src/indicators/kept-totals.ts',
    find: "[...key.clusterIds].sort().join(','),",
    replace: "'',",
    suite: 'indicator-totals-kept',
  },
  {
    claim: "a running period's kept report is never served once a write to one of its clusters has committed since it was read",
    file: 'src/reports/deliver/kept/open-reports.ts',
    find: 'AND NOT pg_visible_in_snapshot(r.xid::text::xid8, o.snapshot))',
    replace: 'AND false)',
    suite: 'open-reports',
  },
);

MUTANTS.push({
  claim: 'a page past the end of a list still tells the total',
  file: 'src/common/sql.ts',
  find: 'if (offset === 0)',
  replace: 'if (true)',
  suite: 'test/paging.e2e',
});

MUTANTS.push({
  claim: 'a report built to be kept reads its next batch while the last one is written',
  file: 'src/reports/reports.service.ts',
  find: 'const ahead = options.readAhead ? lanes : 0;',
  replace: 'const ahead = 0;',
  suite: 'test/report-delivery.e2e',
  test: 'reads the next batch while one is written',
});

MUTANTS.push({
  claim: 'a report read on several connections reads every batch in the snapshot of the first',
  file: 'src/reports/reports.service.ts',
  find: "await runner.query(`SET TRANSACTION SNAPSHOT '${exported}'`);",
  replace: '',
  suite: 'test/report-read-connections.e2e',
});

MUTANTS.push({
  claim: 'an instance writes one workbook at a time (a workbook holds its sections whole)',
  file: 'src/reports/deliver/workbook-limiter.ts',
  find: 'const WORKBOOKS_AT_ONCE = 1;',
  replace: 'const WORKBOOKS_AT_ONCE = 2;',
  suite: 'dist/src/reports/deliver/workbook-limiter',
});

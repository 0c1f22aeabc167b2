-- The SQL that OutboxRepository (src/notifications/outbox.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- OutboxRepository.confirmedSubscribers: the due reminders
-- $1 = ["submission_due"]
SELECT s.id,
  s.language,
  s.topics,
  s.cluster_ids,
  s.unsubscribe_token,
  s.confirmed_at,
  k.id AS key_id,
  k.name AS key_name,
  k.role,
  k.cluster_ids AS key_cluster_ids,
  k.funder_id
FROM subscription s
  JOIN api_key k ON k.id = s.api_key_id
WHERE s.state = 'confirmed'
  AND k.revoked_at IS NULL
  AND s.topics && $1::text []
ORDER BY s.id;

-- OutboxRepository.writeEmails: a weekly digest
-- $1 = "00000000-0000-4000-8000-0000000000b1"
-- $2 = "[{\"topic\":\"weekly_digest\",\"dedupe_key\":\"weekly_digest:00000000-0000-4000-8000-00000000c001:2026-06-29\",\"cluster_id\":\"00000000-0000-4000-8000-00000000c001\",\"subject\":\"Veckans\",\"text\":\"…\",\"html\":\"<p>…</p>\"}]"
INSERT INTO email (
    subscription_id,
    topic,
    dedupe_key,
    cluster_id,
    subject,
    text,
    html
  )
SELECT $1,
  e.topic,
  e.dedupe_key,
  e.cluster_id,
  e.subject,
  e.text,
  e.html
FROM jsonb_to_recordset($2::jsonb) AS e(
    topic text,
    dedupe_key text,
    cluster_id uuid,
    subject text,
    text text,
    html text
  ) ON CONFLICT (subscription_id, dedupe_key) DO NOTHING;

-- OutboxRepository.claimJob: the due reminders
-- $1 = "submission_due"
-- $2 = "2026-06-30T06:00:00.000Z"
SELECT name
FROM email_job
WHERE name = $1
  AND next_run_at <= $2 FOR
UPDATE SKIP LOCKED;

-- OutboxRepository.scheduleJob: the due reminders
-- $1 = "submission_due"
-- $2 = "2026-06-30T07:00:00.000Z"
-- $3 = "2026-06-30T06:00:00.000Z"
UPDATE email_job
SET next_run_at = $2,
  last_run_at = $3
WHERE name = $1;

-- OutboxRepository.lockCursor: the cursor
SELECT xid::text AS xid,
  position::text AS position
FROM email_dispatch
WHERE id = 1 FOR
UPDATE SKIP LOCKED;

-- OutboxRepository.moveCursor: a cursor
-- $1 = "1300"
-- $2 = "120"
UPDATE email_dispatch
SET xid = $1,
  position = $2
WHERE id = 1;

-- OutboxRepository.dueFundings: all
SELECT fd.id,
  fd.cluster_id,
  c.name AS cluster_name,
  fd.funder_id,
  f.name AS funder_name,
  fd.starts_on,
  fd.ends_on,
  f.reporting_period,
  f.report_due_days
FROM funding fd
  JOIN funder f ON f.id = fd.funder_id
  JOIN cluster c ON c.id = fd.cluster_id
WHERE fd.archived_at IS NULL
  AND c.archived_at IS NULL;

-- OutboxRepository.newestStates: all
SELECT DISTINCT ON (
    s.cluster_id,
    s.funder_id,
    s.period_from,
    s.period_to
  ) s.cluster_id,
  s.funder_id,
  s.period_from,
  s.period_to,
  s.state
FROM report_submission s
ORDER BY s.cluster_id,
  s.funder_id,
  s.period_from,
  s.period_to,
  s.submitted_at DESC,
  s.id;

-- OutboxRepository.written: a reminder
-- $1 = ["00000000-0000-4000-8000-0000000000b1"]
-- $2 = ["submission_due:00000000-0000-4000-8000-00000000c001:00000000-0000-4000-8000-00000000f001:2026-Q2:overdue"]
SELECT subscription_id,
  dedupe_key
FROM email
WHERE subscription_id = ANY($1::uuid [])
  AND dedupe_key = ANY($2::text []);

-- OutboxRepository.readableFundings: for a funder key
-- $1 = ["00000000-0000-4000-8000-0000000000a7"]
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT fd.id
FROM funding fd
WHERE fd.id = ANY($1::uuid [])
  AND fd.funder_id = $2
  AND fd.cluster_id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $2
      AND fv.archived_at IS NULL
  );

-- OutboxRepository.readableFundings: for an editor key, in one cluster
-- $1 = ["00000000-0000-4000-8000-0000000000a7"]
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $3 = ["00000000-0000-4000-8000-00000000c001"]
SELECT fd.id
FROM funding fd
WHERE fd.id = ANY($1::uuid [])
  AND fd.cluster_id = ANY($2)
  AND fd.cluster_id = ANY($2)
  AND fd.cluster_id = ANY($3::uuid []);

-- OutboxRepository.clusterNames: two clusters
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT id,
  name
FROM cluster
WHERE id = ANY($1::uuid []);

-- OutboxRepository.names: a cluster and a funder
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT c.name AS cluster_name,
  f.name AS funder_name
FROM cluster c,
  funder f
WHERE c.id = $1
  AND f.id = $2;

-- OutboxRepository.redComment: a goal turned red
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-0000000060a1"
-- $3 = "2026-06-30T12:00:00.000Z"
SELECT c.name AS cluster_name,
  (
    SELECT u.comment
    FROM status_update u
    WHERE u.subject_id = $2
      AND u.status = 'red'
    ORDER BY abs(
        extract(
          epoch
          FROM u.created_at - $3::timestamptz
        )
      ),
      u.seq DESC
    LIMIT 1
  ) AS comment
FROM cluster c
WHERE c.id = $1;

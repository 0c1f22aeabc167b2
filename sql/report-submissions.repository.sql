-- The SQL that ReportSubmissionsRepository (src/report-submissions/report-submissions.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- ReportSubmissionsRepository.readable: a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT 1
FROM "cluster" x
WHERE x.id = $1
  AND x.id = ANY($2);

-- ReportSubmissionsRepository.readable: a funder, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT 1
FROM "funder" x
WHERE x.id = $1
  AND x.id = $2;

-- ReportSubmissionsRepository.dueFundings: the fundings of a funder, for an admin key
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT fd.id,
  fd.cluster_id,
  c.name AS cluster_name,
  fd.funder_id,
  fd.starts_on,
  fd.ends_on,
  f.reporting_period,
  f.report_due_days
FROM funding fd
  JOIN funder f ON f.id = fd.funder_id
  JOIN cluster c ON c.id = fd.cluster_id
WHERE fd.funder_id = $1
  AND fd.archived_at IS NULL
  AND TRUE;

-- ReportSubmissionsRepository.dueFundings: the fundings of a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT fd.id,
  fd.cluster_id,
  c.name AS cluster_name,
  fd.funder_id,
  fd.starts_on,
  fd.ends_on,
  f.reporting_period,
  f.report_due_days
FROM funding fd
  JOIN funder f ON f.id = fd.funder_id
  JOIN cluster c ON c.id = fd.cluster_id
WHERE fd.cluster_id = $1
  AND fd.archived_at IS NULL
  AND fd.cluster_id = ANY($2);

-- ReportSubmissionsRepository.newestSubmissions: the newest submissions of two pairs
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $2 = ["00000000-0000-4000-8000-00000000f001","00000000-0000-4000-8000-00000000f001"]
SELECT DISTINCT ON (
    s.cluster_id,
    s.funder_id,
    s.period_from,
    s.period_to
  ) s.cluster_id,
  s.funder_id,
  s.period_from,
  s.period_to,
  s.id,
  s.state
FROM report_submission s
WHERE (s.cluster_id, s.funder_id) IN (
    SELECT x.cluster_id,
      x.funder_id
    FROM unnest(CAST($1 AS uuid []), CAST($2 AS uuid [])) AS x(cluster_id, funder_id)
  )
ORDER BY s.cluster_id,
  s.funder_id,
  s.period_from,
  s.period_to,
  s.submitted_at DESC,
  s.id;

-- ReportSubmissionsRepository.now: now
SELECT date_trunc('milliseconds', clock_timestamp()) AS now;

-- ReportSubmissionsRepository.clusterToSubmit: a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT c.archived_at IS NOT NULL AS archived
FROM cluster c
WHERE c.id = $1
  AND c.id = ANY($2);

-- ReportSubmissionsRepository.funds: a funding in the first quarter
-- $1 = "2026-03-31T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000f001"
-- $4 = "2026-03-31"
-- $5 = "2026-01-01"
SELECT 1
FROM (
    SELECT s.*
    FROM "funding" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"funding", r.state) s
    WHERE live.cluster_id = $2
      AND live.funder_id = $3
  ) fd
WHERE fd.archived_at IS NULL
  AND fd.starts_on <= $4
  AND fd.ends_on >= $5;

-- ReportSubmissionsRepository.funderRhythm: a funder
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT name,
  reporting_period
FROM funder
WHERE id = $1;

-- ReportSubmissionsRepository.live: the live submission of a quarter
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = "2025-12-31T23:00:00.000Z"
-- $4 = "2026-03-31T21:59:59.999Z"
SELECT id,
  state
FROM report_submission
WHERE cluster_id = $1
  AND funder_id = $2
  AND period_from = $3
  AND period_to = $4
  AND state IN ('submitted', 'acknowledged');

-- ReportSubmissionsRepository.lastReturned: the last returned submission of a quarter
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = "2025-12-31T23:00:00.000Z"
-- $4 = "2026-03-31T21:59:59.999Z"
SELECT id
FROM report_submission
WHERE cluster_id = $1
  AND funder_id = $2
  AND period_from = $3
  AND period_to = $4
  AND state = 'returned'
ORDER BY submitted_at DESC,
  id
LIMIT 1;

-- ReportSubmissionsRepository.insert: a submission of a quarter
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = "2026-Q1"
-- $4 = "2025-12-31T23:00:00.000Z"
-- $5 = "2026-03-31T21:59:59.999Z"
-- $6 = "2026-01-01"
-- $7 = "2026-03-31"
-- $8 = "0000000000000000000000000000000000000000000000000000000000000000"
-- $9 = "2026-04-02T08:00:00.000Z"
-- $10 = "example editor key"
-- $11 = "00000000-0000-4000-8000-00000000a001"
-- $12 = null
-- $13 = null
INSERT INTO report_submission (
    cluster_id,
    funder_id,
    period,
    period_from,
    period_to,
    first_day,
    last_day,
    sha256,
    submitted_at,
    known_at,
    submitted_by,
    submitted_by_key_id,
    comment,
    previous_submission_id
  )
VALUES (
    $1,
    $2,
    $3,
    $4,
    $5,
    $6,
    $7,
    $8,
    $9,
    $9,
    $10,
    $11,
    $12,
    $13
  )
RETURNING id;

-- ReportSubmissionsRepository.storeReport: a report
-- $1 = "00000000-0000-4000-8000-00000000d001"
-- $2 = {"type":"Buffer","data":[123,125]}
-- $3 = "0000000000000000000000000000000000000000000000000000000000000000"
-- $4 = "{}"
INSERT INTO submitted_report (submission_id, body, sha256, latest_comments)
VALUES ($1, $2, $3, CAST($4 AS jsonb));

-- ReportSubmissionsRepository.submission: a submission by id
-- $1 = "00000000-0000-4000-8000-00000000d001"
SELECT "ReportSubmission"."version" AS "ReportSubmission_version",
  "ReportSubmission"."created_at" AS "ReportSubmission_created_at",
  "ReportSubmission"."updated_at" AS "ReportSubmission_updated_at",
  "ReportSubmission"."id" AS "ReportSubmission_id",
  "ReportSubmission"."cluster_id" AS "ReportSubmission_cluster_id",
  "ReportSubmission"."funder_id" AS "ReportSubmission_funder_id",
  "ReportSubmission"."period" AS "ReportSubmission_period",
  "ReportSubmission"."period_from" AS "ReportSubmission_period_from",
  "ReportSubmission"."period_to" AS "ReportSubmission_period_to",
  "ReportSubmission"."first_day" AS "ReportSubmission_first_day",
  "ReportSubmission"."last_day" AS "ReportSubmission_last_day",
  "ReportSubmission"."state" AS "ReportSubmission_state",
  "ReportSubmission"."sha256" AS "ReportSubmission_sha256",
  "ReportSubmission"."submitted_at" AS "ReportSubmission_submitted_at",
  "ReportSubmission"."known_at" AS "ReportSubmission_known_at",
  "ReportSubmission"."submitted_by" AS "ReportSubmission_submitted_by",
  "ReportSubmission"."submitted_by_key_id" AS "ReportSubmission_submitted_by_key_id",
  "ReportSubmission"."comment" AS "ReportSubmission_comment",
  "ReportSubmission"."previous_submission_id" AS "ReportSubmission_previous_submission_id",
  "ReportSubmission"."decided_at" AS "ReportSubmission_decided_at",
  "ReportSubmission"."decided_by" AS "ReportSubmission_decided_by",
  "ReportSubmission"."decided_by_key_id" AS "ReportSubmission_decided_by_key_id",
  "ReportSubmission"."decision_comment" AS "ReportSubmission_decision_comment"
FROM "report_submission" "ReportSubmission"
WHERE (("ReportSubmission"."id" = $1))
LIMIT 1;

-- ReportSubmissionsRepository.find: a submission, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000d001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT "s"."version" AS "s_version",
  "s"."created_at" AS "s_created_at",
  "s"."updated_at" AS "s_updated_at",
  "s"."id" AS "s_id",
  "s"."cluster_id" AS "s_cluster_id",
  "s"."funder_id" AS "s_funder_id",
  "s"."period" AS "s_period",
  "s"."period_from" AS "s_period_from",
  "s"."period_to" AS "s_period_to",
  "s"."first_day" AS "s_first_day",
  "s"."last_day" AS "s_last_day",
  "s"."state" AS "s_state",
  "s"."sha256" AS "s_sha256",
  "s"."submitted_at" AS "s_submitted_at",
  "s"."known_at" AS "s_known_at",
  "s"."submitted_by" AS "s_submitted_by",
  "s"."submitted_by_key_id" AS "s_submitted_by_key_id",
  "s"."comment" AS "s_comment",
  "s"."previous_submission_id" AS "s_previous_submission_id",
  "s"."decided_at" AS "s_decided_at",
  "s"."decided_by" AS "s_decided_by",
  "s"."decided_by_key_id" AS "s_decided_by_key_id",
  "s"."decision_comment" AS "s_decision_comment"
FROM "report_submission" "s"
WHERE "s"."id" = $1
  AND "s"."funder_id" = $2;

-- ReportSubmissionsRepository.find: a submission to decide, locked
-- $1 = "00000000-0000-4000-8000-00000000d001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT "s"."version" AS "s_version",
  "s"."created_at" AS "s_created_at",
  "s"."updated_at" AS "s_updated_at",
  "s"."id" AS "s_id",
  "s"."cluster_id" AS "s_cluster_id",
  "s"."funder_id" AS "s_funder_id",
  "s"."period" AS "s_period",
  "s"."period_from" AS "s_period_from",
  "s"."period_to" AS "s_period_to",
  "s"."first_day" AS "s_first_day",
  "s"."last_day" AS "s_last_day",
  "s"."state" AS "s_state",
  "s"."sha256" AS "s_sha256",
  "s"."submitted_at" AS "s_submitted_at",
  "s"."known_at" AS "s_known_at",
  "s"."submitted_by" AS "s_submitted_by",
  "s"."submitted_by_key_id" AS "s_submitted_by_key_id",
  "s"."comment" AS "s_comment",
  "s"."previous_submission_id" AS "s_previous_submission_id",
  "s"."decided_at" AS "s_decided_at",
  "s"."decided_by" AS "s_decided_by",
  "s"."decided_by_key_id" AS "s_decided_by_key_id",
  "s"."decision_comment" AS "s_decision_comment"
FROM "report_submission" "s"
WHERE "s"."id" = $1
  AND "s"."funder_id" = $2 FOR
UPDATE;

-- ReportSubmissionsRepository.list: a cluster's submissions, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $3 = 50
-- $4 = 0
SELECT s.*,
  c.name AS cluster_name,
  count(*) OVER () AS total_count
FROM report_submission s
  JOIN cluster c ON c.id = s.cluster_id
WHERE s.cluster_id = $1
  AND s.cluster_id = ANY($2)
ORDER BY s.submitted_at DESC,
  s.id
LIMIT $3 OFFSET $4;

-- ReportSubmissionsRepository.list: a funder's returned submissions from a cluster, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000f001"
-- $4 = "returned"
-- $5 = "2026-Q1"
-- $6 = 50
-- $7 = 0
SELECT s.*,
  c.name AS cluster_name,
  count(*) OVER () AS total_count
FROM report_submission s
  JOIN cluster c ON c.id = s.cluster_id
WHERE s.funder_id = $1
  AND s.cluster_id = $2
  AND s.funder_id = $3
  AND s.state = $4
  AND s.period = $5
ORDER BY s.submitted_at DESC,
  s.id
LIMIT $6 OFFSET $7;

-- ReportSubmissionsRepository.storedReport: a frozen report
-- $1 = "00000000-0000-4000-8000-00000000d001"
SELECT body,
  sha256,
  latest_comments
FROM submitted_report
WHERE submission_id = $1;

-- ReportSubmissionsRepository.decide: an acknowledgement
-- $1 = "acknowledged"
-- $2 = "example funder key"
-- $3 = "00000000-0000-4000-8000-00000000a001"
-- $4 = "Thank you."
-- $5 = "00000000-0000-4000-8000-00000000d001"
UPDATE "report_submission"
SET "state" = $1,
  "decided_at" = date_trunc('milliseconds', clock_timestamp()),
  "decided_by" = $2,
  "decided_by_key_id" = $3,
  "decision_comment" = $4,
  "version" = "version" + 1,
  "updated_at" = CURRENT_TIMESTAMP
WHERE "id" = $5
  AND "state" = 'submitted'
RETURNING *;

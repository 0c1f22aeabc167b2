-- The SQL that FundersRepository (src/funders/funders.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- FundersRepository.listFunders: the funders of an editor key, by name
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $2 = "%vinn%"
-- $3 = 50
-- $4 = 0
SELECT *,
  count(*) OVER () AS total_count
FROM "funder" f
WHERE f.id IN (
    SELECT fe.funder_id
    FROM funding fe
    WHERE fe.cluster_id = ANY($1)
      AND fe.archived_at IS NULL
  )
  AND f.name ILIKE $2 ESCAPE '\'
     ORDER BY f.name, f.id LIMIT $3 OFFSET $4;

-- FundersRepository.listFunders: the funders of a funder key, as they were
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = 50
-- $4 = 0
SELECT *,
  count(*) OVER () AS total_count
FROM (
    SELECT s.*
    FROM "funder" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"funder", r.state) s
    WHERE TRUE
  ) f
WHERE f.id = $2
ORDER BY f.name,
  f.id
LIMIT $3 OFFSET $4;

-- FundersRepository.listFundings: the live fundings of a funder, for an admin key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = 50
-- $3 = 0
SELECT *,
  count(*) OVER () AS total_count
FROM "funding" fd
WHERE fd.funder_id = $1
  AND TRUE
  AND fd.archived_at IS NULL
ORDER BY fd.starts_on DESC,
  fd.id
LIMIT $2 OFFSET $3;

-- FundersRepository.listFundings: the fundings of a funder in a cluster, as they were, for an editor key
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $4 = "00000000-0000-4000-8000-00000000c001"
-- $5 = 50
-- $6 = 0
SELECT *,
  count(*) OVER () AS total_count
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
    WHERE live.funder_id = $2
  ) fd
WHERE fd.funder_id = $2
  AND fd.cluster_id = ANY($3)
  AND fd.cluster_id = $4
ORDER BY fd.starts_on DESC,
  fd.id
LIMIT $5 OFFSET $6;

-- FundersRepository.findFunder: a funder, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT "f"."version" AS "f_version",
  "f"."created_at" AS "f_created_at",
  "f"."updated_at" AS "f_updated_at",
  "f"."id" AS "f_id",
  "f"."name" AS "f_name",
  "f"."kind" AS "f_kind",
  "f"."reporting_period" AS "f_reporting_period",
  "f"."report_due_days" AS "f_report_due_days"
FROM "funder" "f"
WHERE "f"."id" = $1
  AND "f"."id" = $2;

-- FundersRepository.findFunder: a funder to change, locked
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT "f"."version" AS "f_version",
  "f"."created_at" AS "f_created_at",
  "f"."updated_at" AS "f_updated_at",
  "f"."id" AS "f_id",
  "f"."name" AS "f_name",
  "f"."kind" AS "f_kind",
  "f"."reporting_period" AS "f_reporting_period",
  "f"."report_due_days" AS "f_report_due_days"
FROM "funder" "f"
WHERE "f"."id" = $1
  AND TRUE FOR
UPDATE;

-- FundersRepository.findFunding: a funding, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000fd01"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT "fd"."version" AS "fd_version",
  "fd"."created_at" AS "fd_created_at",
  "fd"."updated_at" AS "fd_updated_at",
  "fd"."archived_at" AS "fd_archived_at",
  "fd"."id" AS "fd_id",
  "fd"."funder_id" AS "fd_funder_id",
  "fd"."cluster_id" AS "fd_cluster_id",
  "fd"."programme" AS "fd_programme",
  "fd"."amount" AS "fd_amount",
  "fd"."currency" AS "fd_currency",
  "fd"."starts_on" AS "fd_starts_on",
  "fd"."ends_on" AS "fd_ends_on"
FROM "funding" "fd"
WHERE "fd"."id" = $1
  AND "fd"."cluster_id" = ANY($2);

-- FundersRepository.findFunding: a funding to change, locked
-- $1 = "00000000-0000-4000-8000-00000000fd01"
SELECT "fd"."version" AS "fd_version",
  "fd"."created_at" AS "fd_created_at",
  "fd"."updated_at" AS "fd_updated_at",
  "fd"."archived_at" AS "fd_archived_at",
  "fd"."id" AS "fd_id",
  "fd"."funder_id" AS "fd_funder_id",
  "fd"."cluster_id" AS "fd_cluster_id",
  "fd"."programme" AS "fd_programme",
  "fd"."amount" AS "fd_amount",
  "fd"."currency" AS "fd_currency",
  "fd"."starts_on" AS "fd_starts_on",
  "fd"."ends_on" AS "fd_ends_on"
FROM "funding" "fd"
WHERE "fd"."id" = $1
  AND TRUE FOR
UPDATE;

-- FundersRepository.insertFunder: a new funder
-- $1 = "Vinnova"
-- $2 = "national_agency"
-- $3 = "yearly"
-- $4 = 30
INSERT INTO "funder"(
    "version",
    "created_at",
    "updated_at",
    "id",
    "name",
    "kind",
    "reporting_period",
    "report_due_days"
  )
VALUES (
    DEFAULT,
    DEFAULT,
    DEFAULT,
    DEFAULT,
    $1,
    $2,
    $3,
    $4
  )
RETURNING "version",
  "created_at",
  "updated_at",
  "id",
  "reporting_period",
  "report_due_days";

-- FundersRepository.funder: a funder by id
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT "Funder"."version" AS "Funder_version",
  "Funder"."created_at" AS "Funder_created_at",
  "Funder"."updated_at" AS "Funder_updated_at",
  "Funder"."id" AS "Funder_id",
  "Funder"."name" AS "Funder_name",
  "Funder"."kind" AS "Funder_kind",
  "Funder"."reporting_period" AS "Funder_reporting_period",
  "Funder"."report_due_days" AS "Funder_report_due_days"
FROM "funder" "Funder"
WHERE (("Funder"."id" = $1))
LIMIT 1;

-- FundersRepository.insertFunding: a new funding
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "Vinnväxt"
-- $4 = "250000.00"
-- $5 = "SEK"
-- $6 = "2026-01-01"
-- $7 = "2026-12-31"
INSERT INTO "funding"(
    "version",
    "created_at",
    "updated_at",
    "archived_at",
    "id",
    "funder_id",
    "cluster_id",
    "programme",
    "amount",
    "currency",
    "starts_on",
    "ends_on"
  )
VALUES (
    DEFAULT,
    DEFAULT,
    DEFAULT,
    DEFAULT,
    DEFAULT,
    $1,
    $2,
    $3,
    $4,
    $5,
    $6,
    $7
  )
RETURNING "version",
  "created_at",
  "updated_at",
  "id",
  "currency";

-- FundersRepository.funding: a funding by id
-- $1 = "00000000-0000-4000-8000-00000000fd01"
SELECT "Funding"."version" AS "Funding_version",
  "Funding"."created_at" AS "Funding_created_at",
  "Funding"."updated_at" AS "Funding_updated_at",
  "Funding"."archived_at" AS "Funding_archived_at",
  "Funding"."id" AS "Funding_id",
  "Funding"."funder_id" AS "Funding_funder_id",
  "Funding"."cluster_id" AS "Funding_cluster_id",
  "Funding"."programme" AS "Funding_programme",
  "Funding"."amount" AS "Funding_amount",
  "Funding"."currency" AS "Funding_currency",
  "Funding"."starts_on" AS "Funding_starts_on",
  "Funding"."ends_on" AS "Funding_ends_on"
FROM "funding" "Funding"
WHERE (("Funding"."id" = $1))
LIMIT 1;

-- The SQL that MeasurementsRepository (src/goals/measurements.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- MeasurementsRepository.list: the first page
-- $1 = "00000000-0000-4000-8000-0000000060a1"
SELECT "Measurement"."id" AS "Measurement_id",
  "Measurement"."goal_id" AS "Measurement_goal_id",
  "Measurement"."definition_id" AS "Measurement_definition_id",
  "Measurement"."value" AS "Measurement_value",
  "Measurement"."measured_on" AS "Measurement_measured_on",
  "Measurement"."comment" AS "Measurement_comment",
  "Measurement"."author" AS "Measurement_author",
  "Measurement"."author_key_id" AS "Measurement_author_key_id",
  "Measurement"."created_at" AS "Measurement_created_at"
FROM "measurement" "Measurement"
WHERE (("Measurement"."goal_id" = $1))
ORDER BY "Measurement"."measured_on" DESC,
  "Measurement"."created_at" DESC
LIMIT 20 OFFSET 0;

-- MeasurementsRepository.list: the first page as it was
-- $1 = "00000000-0000-4000-8000-0000000060a1"
-- $2 = "2026-06-30T12:00:00.000Z"
SELECT "Measurement"."id" AS "Measurement_id",
  "Measurement"."goal_id" AS "Measurement_goal_id",
  "Measurement"."definition_id" AS "Measurement_definition_id",
  "Measurement"."value" AS "Measurement_value",
  "Measurement"."measured_on" AS "Measurement_measured_on",
  "Measurement"."comment" AS "Measurement_comment",
  "Measurement"."author" AS "Measurement_author",
  "Measurement"."author_key_id" AS "Measurement_author_key_id",
  "Measurement"."created_at" AS "Measurement_created_at"
FROM "measurement" "Measurement"
WHERE (
    ("Measurement"."goal_id" = $1)
    AND (
      date_trunc('milliseconds', "Measurement"."created_at") <= $2
    )
  )
ORDER BY "Measurement"."measured_on" DESC,
  "Measurement"."created_at" DESC
LIMIT 20 OFFSET 0;

-- MeasurementsRepository.organisationsOf: two measurements
-- $1 = "00000000-0000-4000-8000-0000000060b1"
-- $2 = "00000000-0000-4000-8000-0000000060b2"
SELECT measurement_id,
  organisation_number,
  enterprise_size
FROM measurement_organisation
WHERE measurement_id IN ($1, $2)
ORDER BY measurement_id,
  organisation_number;

-- MeasurementsRepository.definition: a definition
-- $1 = "00000000-0000-4000-8000-0000000060d1"
SELECT aggregation,
  breakdown
FROM indicator_definition
WHERE id = $1;

-- MeasurementsRepository.insert: a measurement
-- $1 = "00000000-0000-4000-8000-0000000060a1"
-- $2 = "00000000-0000-4000-8000-0000000060d1"
-- $3 = "12"
-- $4 = "2026-06-30"
-- $5 = null
-- $6 = "example editor key"
-- $7 = "00000000-0000-4000-8000-00000000a001"
INSERT INTO "measurement"(
    "id",
    "goal_id",
    "definition_id",
    "value",
    "measured_on",
    "comment",
    "author",
    "author_key_id",
    "created_at"
  )
VALUES (DEFAULT, $1, $2, $3, $4, $5, $6, $7, DEFAULT)
RETURNING "id",
  "created_at";

-- MeasurementsRepository.insertOrganisations: two organisations
-- $1 = "00000000-0000-4000-8000-0000000060b1"
-- $2 = ["556677-8899","559900-1122"]
-- $3 = ["small",null]
INSERT INTO measurement_organisation (
    measurement_id,
    organisation_number,
    enterprise_size
  )
SELECT $1,
  o.number,
  o.size::enterprise_size
FROM unnest(CAST($2 AS varchar []), CAST($3 AS text [])) AS o(number, size);

-- MeasurementsRepository.find: a measurement
-- $1 = "00000000-0000-4000-8000-0000000060b1"
SELECT "Measurement"."id" AS "Measurement_id",
  "Measurement"."goal_id" AS "Measurement_goal_id",
  "Measurement"."definition_id" AS "Measurement_definition_id",
  "Measurement"."value" AS "Measurement_value",
  "Measurement"."measured_on" AS "Measurement_measured_on",
  "Measurement"."comment" AS "Measurement_comment",
  "Measurement"."author" AS "Measurement_author",
  "Measurement"."author_key_id" AS "Measurement_author_key_id",
  "Measurement"."created_at" AS "Measurement_created_at"
FROM "measurement" "Measurement"
WHERE (("Measurement"."id" = $1))
LIMIT 1;

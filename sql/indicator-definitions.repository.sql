-- The SQL that IndicatorDefinitionsRepository (src/indicators/indicator-definitions.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- IndicatorDefinitionsRepository.list: the live definitions
-- $1 = 50
-- $2 = 0
SELECT d.*,
  count(*) OVER () AS total_count
FROM indicator_definition d
WHERE d.archived_at IS NULL
ORDER BY d.funder_id NULLS FIRST,
  d.code,
  d.id
LIMIT $1 OFFSET $2;

-- IndicatorDefinitionsRepository.list: a funder's own organisation counts, archived too
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "organisations"
-- $3 = 20
-- $4 = 20
SELECT d.*,
  count(*) OVER () AS total_count
FROM indicator_definition d
WHERE d.funder_id = $1
  AND d.aggregation = $2
  AND d.funder_id IS NOT NULL
ORDER BY d.funder_id NULLS FIRST,
  d.code,
  d.id
LIMIT $3 OFFSET $4;

-- IndicatorDefinitionsRepository.list: a funder's own organisation counts, archived too
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "organisations"
SELECT count(*) AS n
FROM indicator_definition d
WHERE d.funder_id = $1
  AND d.aggregation = $2
  AND d.funder_id IS NOT NULL;

-- IndicatorDefinitionsRepository.find: a definition
-- $1 = "00000000-0000-4000-8000-0000000060d1"
SELECT "d"."version" AS "d_version",
  "d"."created_at" AS "d_created_at",
  "d"."updated_at" AS "d_updated_at",
  "d"."archived_at" AS "d_archived_at",
  "d"."id" AS "d_id",
  "d"."code" AS "d_code",
  "d"."name" AS "d_name",
  "d"."description" AS "d_description",
  "d"."unit" AS "d_unit",
  "d"."aggregation" AS "d_aggregation",
  "d"."breakdown" AS "d_breakdown",
  "d"."funder_id" AS "d_funder_id",
  "d"."shipped" AS "d_shipped",
  "d"."adopted_at" AS "d_adopted_at"
FROM "indicator_definition" "d"
WHERE "d"."id" = $1;

-- IndicatorDefinitionsRepository.find: a definition to change
-- $1 = "00000000-0000-4000-8000-0000000060d1"
SELECT "d"."version" AS "d_version",
  "d"."created_at" AS "d_created_at",
  "d"."updated_at" AS "d_updated_at",
  "d"."archived_at" AS "d_archived_at",
  "d"."id" AS "d_id",
  "d"."code" AS "d_code",
  "d"."name" AS "d_name",
  "d"."description" AS "d_description",
  "d"."unit" AS "d_unit",
  "d"."aggregation" AS "d_aggregation",
  "d"."breakdown" AS "d_breakdown",
  "d"."funder_id" AS "d_funder_id",
  "d"."shipped" AS "d_shipped",
  "d"."adopted_at" AS "d_adopted_at"
FROM "indicator_definition" "d"
WHERE "d"."id" = $1 FOR
UPDATE;

-- IndicatorDefinitionsRepository.funderExists: a funder
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT 1
FROM funder
WHERE id = $1 FOR KEY SHARE;

-- IndicatorDefinitionsRepository.codeTaken: a funder's code
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "F-NEW-MEMBERS"
SELECT 1
FROM indicator_definition
WHERE funder_id IS NOT DISTINCT
FROM CAST($1 AS uuid)
  AND code = $2;

-- IndicatorDefinitionsRepository.codeTaken: a common code
-- $1 = null
-- $2 = "NEW-MEMBERS"
SELECT 1
FROM indicator_definition
WHERE funder_id IS NOT DISTINCT
FROM CAST($1 AS uuid)
  AND code = $2;

-- IndicatorDefinitionsRepository.insert: a funder's definition
-- $1 = "F-NEW-MEMBERS"
-- $2 = "Nya medlemsföretag"
-- $3 = null
-- $4 = "företag"
-- $5 = "organisations"
-- $6 = "enterprise_size"
-- $7 = "00000000-0000-4000-8000-00000000f001"
INSERT INTO "indicator_definition"(
    "version",
    "created_at",
    "updated_at",
    "archived_at",
    "id",
    "code",
    "name",
    "description",
    "unit",
    "aggregation",
    "breakdown",
    "funder_id",
    "shipped",
    "adopted_at"
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
    $7,
    DEFAULT,
    DEFAULT
  )
RETURNING "version",
  "created_at",
  "updated_at",
  "id",
  "shipped";

-- IndicatorDefinitionsRepository.get: a definition
-- $1 = "00000000-0000-4000-8000-0000000060d1"
SELECT "IndicatorDefinition"."version" AS "IndicatorDefinition_version",
  "IndicatorDefinition"."created_at" AS "IndicatorDefinition_created_at",
  "IndicatorDefinition"."updated_at" AS "IndicatorDefinition_updated_at",
  "IndicatorDefinition"."archived_at" AS "IndicatorDefinition_archived_at",
  "IndicatorDefinition"."id" AS "IndicatorDefinition_id",
  "IndicatorDefinition"."code" AS "IndicatorDefinition_code",
  "IndicatorDefinition"."name" AS "IndicatorDefinition_name",
  "IndicatorDefinition"."description" AS "IndicatorDefinition_description",
  "IndicatorDefinition"."unit" AS "IndicatorDefinition_unit",
  "IndicatorDefinition"."aggregation" AS "IndicatorDefinition_aggregation",
  "IndicatorDefinition"."breakdown" AS "IndicatorDefinition_breakdown",
  "IndicatorDefinition"."funder_id" AS "IndicatorDefinition_funder_id",
  "IndicatorDefinition"."shipped" AS "IndicatorDefinition_shipped",
  "IndicatorDefinition"."adopted_at" AS "IndicatorDefinition_adopted_at"
FROM "indicator_definition" "IndicatorDefinition"
WHERE (("IndicatorDefinition"."id" = $1))
LIMIT 1;

-- IndicatorDefinitionsRepository.update: a new name
-- $1 = "Nya medlemmar"
-- $2 = "00000000-0000-4000-8000-0000000060d1"
-- $3 = "Nya medlemmar"
UPDATE "indicator_definition"
SET "name" = $1,
  "version" = "version" + 1,
  "updated_at" = CURRENT_TIMESTAMP
WHERE "id" = $2
  AND (
    "name" IS DISTINCT
    FROM $3
  )
RETURNING *;

-- IndicatorDefinitionsRepository.update: archived
-- $1 = "00000000-0000-4000-8000-0000000060d1"
UPDATE "indicator_definition"
SET "archived_at" = now(),
  "version" = "version" + 1,
  "updated_at" = CURRENT_TIMESTAMP
WHERE "id" = $1
RETURNING *;

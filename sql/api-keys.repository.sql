-- The SQL that ApiKeysRepository (src/api-keys/api-keys.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- ApiKeysRepository.funderExists: a funder
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT 1 AS "row_exists"
FROM (
    SELECT 1 AS dummy_column
  ) "dummy_table"
WHERE EXISTS (
    SELECT 1
    FROM "funder" "Funder"
    WHERE (("Funder"."id" = $1))
  )
LIMIT 1;

-- ApiKeysRepository.insert: an editor key
-- $1 = "Findit process leader"
-- $2 = "editor"
-- $3 = "sty_abcd"
-- $4 = {"type":"Buffer","data":[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7]}
-- $5 = ["00000000-0000-4000-8000-00000000c001"]
-- $6 = null
INSERT INTO "api_key"(
    "id",
    "name",
    "role",
    "prefix",
    "secret_hash",
    "cluster_ids",
    "funder_id",
    "created_at",
    "revoked_at"
  )
VALUES (
    DEFAULT,
    $1,
    $2,
    $3,
    $4,
    $5,
    $6,
    DEFAULT,
    DEFAULT
  )
RETURNING "id",
  "cluster_ids",
  "created_at";

-- ApiKeysRepository.list: the active keys
SELECT "k"."id" AS "k_id",
  "k"."name" AS "k_name",
  "k"."role" AS "k_role",
  "k"."prefix" AS "k_prefix",
  "k"."secret_hash" AS "k_secret_hash",
  "k"."cluster_ids" AS "k_cluster_ids",
  "k"."funder_id" AS "k_funder_id",
  "k"."created_at" AS "k_created_at",
  "k"."revoked_at" AS "k_revoked_at"
FROM "api_key" "k"
WHERE "k"."revoked_at" IS NULL
ORDER BY "k"."created_at" ASC,
  "k"."id" ASC
LIMIT 50 OFFSET 0;

-- ApiKeysRepository.list: the editor keys, revoked too
-- $1 = "editor"
SELECT "k"."id" AS "k_id",
  "k"."name" AS "k_name",
  "k"."role" AS "k_role",
  "k"."prefix" AS "k_prefix",
  "k"."secret_hash" AS "k_secret_hash",
  "k"."cluster_ids" AS "k_cluster_ids",
  "k"."funder_id" AS "k_funder_id",
  "k"."created_at" AS "k_created_at",
  "k"."revoked_at" AS "k_revoked_at"
FROM "api_key" "k"
WHERE "k"."role" = $1
ORDER BY "k"."created_at" ASC,
  "k"."id" ASC
LIMIT 20 OFFSET 20;

-- ApiKeysRepository.list: the editor keys, revoked too
-- $1 = "editor"
SELECT COUNT(1) AS "cnt"
FROM "api_key" "k"
WHERE "k"."role" = $1;

-- ApiKeysRepository.find: a key
-- $1 = "00000000-0000-4000-8000-00000000a001"
SELECT "ApiKey"."id" AS "ApiKey_id",
  "ApiKey"."name" AS "ApiKey_name",
  "ApiKey"."role" AS "ApiKey_role",
  "ApiKey"."prefix" AS "ApiKey_prefix",
  "ApiKey"."secret_hash" AS "ApiKey_secret_hash",
  "ApiKey"."cluster_ids" AS "ApiKey_cluster_ids",
  "ApiKey"."funder_id" AS "ApiKey_funder_id",
  "ApiKey"."created_at" AS "ApiKey_created_at",
  "ApiKey"."revoked_at" AS "ApiKey_revoked_at"
FROM "api_key" "ApiKey"
WHERE (("ApiKey"."id" = $1))
LIMIT 1;

-- ApiKeysRepository.lockActiveAdmins: the active admin keys
SELECT "k"."id" AS "id"
FROM "api_key" "k"
WHERE "k"."role" = 'admin'
  AND "k"."revoked_at" IS NULL FOR
UPDATE;

-- ApiKeysRepository.revoke: a key
-- $1 = "00000000-0000-4000-8000-00000000a001"
UPDATE "api_key"
SET "revoked_at" = now()
WHERE "id" = $1;

-- The SQL that AuthRepository (src/auth/auth.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- AuthRepository.mayRead: a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT 1
FROM cluster r
WHERE r.id = $1
  AND r.id = ANY($2);

-- AuthRepository.mayRead: a submission, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000d001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT 1
FROM report_submission r
WHERE r.id = $1
  AND r.funder_id = $2;

-- AuthRepository.readableClusterCount: two clusters, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "00000000-0000-4000-8000-00000000f001"
SELECT count(*) AS n
FROM cluster c
WHERE c.id IN ($1, $2)
  AND c.id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $3
      AND fv.archived_at IS NULL
  );

-- AuthRepository.byDigest: a digest
-- $1 = {"type":"Buffer","data":[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7]}
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
WHERE (("ApiKey"."secret_hash" = $1))
LIMIT 1;

-- AuthRepository.lockAdminKey: the lock
SELECT pg_advisory_xact_lock(hashtext('styrman.ensure-admin-key'));

-- AuthRepository.activeAdmins: the active admin keys
SELECT COUNT(1) AS "cnt"
FROM "api_key" "k"
WHERE "k"."role" = 'admin'
  AND "k"."revoked_at" IS NULL;

-- AuthRepository.insertAdmin: an admin key
-- $1 = "admin (ADMIN_API_KEY)"
-- $2 = "admin"
-- $3 = "sty_abcd"
-- $4 = {"type":"Buffer","data":[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7]}
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
    DEFAULT,
    DEFAULT,
    DEFAULT,
    DEFAULT
  )
RETURNING "id",
  "cluster_ids",
  "created_at";

-- AuthRepository.activeKeysByRole: all
SELECT role,
  count(*)::int AS n
FROM api_key
WHERE revoked_at IS NULL
GROUP BY role;

-- The SQL that StatementsRepository (src/signatures/statements.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- StatementsRepository.lockChain: the chain lock
-- $1 = 7365400027
SELECT pg_advisory_xact_lock($1);

-- StatementsRepository.addPending: a pending statement
-- $1 = "00000000-0000-4000-8000-00000000d001"
INSERT INTO submission_statement (submission_id)
VALUES ($1);

-- StatementsRepository.pending: a batch of pending statements
-- $1 = 1000
SELECT st.submission_id,
  s.cluster_id,
  s.funder_id,
  s.period_from,
  s.period_to,
  s.sha256,
  s.submitted_at
FROM submission_statement st
  JOIN report_submission s ON s.id = st.submission_id
WHERE st.position IS NULL
ORDER BY s.submitted_at,
  s.id
LIMIT $1;

-- StatementsRepository.head: the head of the chain
SELECT position,
  sha256
FROM submission_statement
WHERE position IS NOT NULL
ORDER BY position DESC
LIMIT 1;

-- StatementsRepository.seal: two sealed statements
-- $1 = ["00000000-0000-4000-8000-00000000d001","00000000-0000-4000-8000-00000000d002"]
-- $2 = [1,2]
-- $3 = ["s1","s2"]
-- $4 = ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]
-- $5 = [null,"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
-- $6 = ["sig1","sig2"]
-- $7 = ["k1","k1"]
UPDATE submission_statement st
SET position = x.position,
  statement = x.statement,
  sha256 = x.sha256,
  previous = x.previous,
  signature = x.signature,
  key_id = x.key_id
FROM unnest(
    CAST($1 AS uuid []),
    CAST($2 AS int []),
    CAST($3 AS text []),
    CAST($4 AS char(64) []),
    CAST($5 AS char(64) []),
    CAST($6 AS varchar []),
    CAST($7 AS varchar [])
  ) AS x(
    submission_id,
    position,
    statement,
    sha256,
    previous,
    signature,
    key_id
  )
WHERE st.submission_id = x.submission_id
  AND st.position IS NULL;

-- StatementsRepository.registerKey: a public key
-- $1 = "k1"
-- $2 = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
INSERT INTO signing_key (id, x)
VALUES ($1, $2) ON CONFLICT (id) DO NOTHING;

-- StatementsRepository.statementOf: a statement, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000d001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT st.position,
  st.statement,
  st.signature,
  st.key_id
FROM report_submission s
  JOIN submission_statement st ON st.submission_id = s.id
WHERE s.id = $1
  AND s.funder_id = $2;

-- StatementsRepository.chain: a page of the chain
-- $1 = 0
-- $2 = 3
SELECT position,
  sha256,
  previous
FROM submission_statement
WHERE position > $1
ORDER BY position
LIMIT $2;

-- StatementsRepository.keys: the keys
SELECT id,
  x
FROM signing_key
ORDER BY created_at,
  id;

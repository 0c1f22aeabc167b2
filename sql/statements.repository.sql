-- The SQL that StatementsRepository (src/signatures/statements.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

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

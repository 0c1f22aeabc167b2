-- The SQL that SubmissionCompareRepository (src/report-submissions/submission-compare.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- SubmissionCompareRepository.sides: two submissions, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000d001"
-- $2 = "00000000-0000-4000-8000-00000000d002"
-- $3 = "00000000-0000-4000-8000-00000000f001"
SELECT s.id,
  s.cluster_id,
  s.funder_id,
  s.period,
  s.period_from,
  s.period_to,
  s.submitted_at,
  s.known_at,
  s.sha256,
  r.body
FROM report_submission s
  JOIN submitted_report r ON r.submission_id = s.id
WHERE s.id IN ($1, $2)
  AND s.funder_id = $3;

-- SubmissionCompareRepository.revisionsBetween: two items, between the ends of two quarters
-- $1 = ["00000000-0000-4000-8000-00000000d001","00000000-0000-4000-8000-00000000d002"]
-- $2 = "2026-06-30T21:59:59.999Z"
-- $3 = "2026-09-30T21:59:59.999Z"
SELECT r.subject_id,
  jsonb_agg(
    jsonb_build_object(
      'version',
      r.version,
      'recordedAt',
      to_char(
        r.recorded_at AT TIME ZONE 'UTC',
        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
      ),
      'author',
      r.author
    )
    ORDER BY r.recorded_at,
      r.position
  ) AS revisions
FROM revision r
WHERE r.subject_id = ANY($1)
  AND r.recorded_at > $2
  AND r.recorded_at <= $3
GROUP BY r.subject_id;

import type { ReportSubmission } from '../report-submission.entity.js';
import type { ReportSubmissionResponse } from './report-submission.dto.js';

export function toReportSubmissionResponse(s: ReportSubmission): ReportSubmissionResponse {
  return {
    id: s.id,
    clusterId: s.clusterId,
    funderId: s.funderId,
    period: s.period,
    from: s.periodFrom.toISOString(),
    to: s.periodTo.toISOString(),
    fromDate: s.firstDay,
    toDate: s.lastDay,
    state: s.state,
    version: s.version,
    sha256: s.sha256,
    submittedAt: s.submittedAt.toISOString(),
    // A revision written before knownAt existed has none: such a submission was known at the end of its period.
    knownAt: (s.knownAt ?? s.periodTo).toISOString(),
    submittedBy: s.submittedBy,
    comment: s.comment,
    previousSubmissionId: s.previousSubmissionId,
    decidedAt: s.decidedAt?.toISOString() ?? null,
    decidedBy: s.decidedBy,
    decisionComment: s.decisionComment,
  };
}

import { createHash } from 'node:crypto';

/** What a submission's statement says, in the order it says it. */
export interface StatementFacts {
  submissionId: string;
  clusterId: string;
  funderId: string;
  from: Date;
  to: Date;
  sha256: string;
  submittedAt: Date;
}

/**
 * The exact JSON text that is signed: the submission, its period, the SHA-256 of its report, and the SHA-256 of
 * the statement before it in the chain (null for the first).
 */
export function statementText(facts: StatementFacts, previous: string | null): string {
  return JSON.stringify({
    submissionId: facts.submissionId,
    clusterId: facts.clusterId,
    funderId: facts.funderId,
    from: facts.from.toISOString(),
    to: facts.to.toISOString(),
    sha256: facts.sha256,
    submittedAt: facts.submittedAt.toISOString(),
    previous,
  });
}

/** SHA-256 of a text's UTF-8 bytes, hex: a statement's hash, which the next one names as `previous`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableSubmissions } from '../auth/access.js';
import { exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';

/**
 * The lock every writer of the chain takes, in its transaction: of two sealings at once (two instances, a
 * submission beside the start-up step), one waits for the other to commit and then sees its head.
 */
const CHAIN_LOCK = 7_365_400_027;

/** A submission whose statement is not sealed yet, with what its statement says. */
export interface PendingRow {
  submission_id: string;
  cluster_id: string;
  funder_id: string;
  period_from: Date;
  period_to: Date;
  sha256: string;
  submitted_at: Date;
}

/** A sealed statement, ready to be written. */
export interface SealedRow {
  submissionId: string;
  position: number;
  statement: string;
  sha256: string;
  previous: string | null;
  signature: string;
  keyId: string;
}

export interface StatementRow {
  position: number | null;
  statement: string | null;
  signature: string | null;
  key_id: string | null;
}

export interface ChainRow {
  position: number;
  sha256: string;
  previous: string | null;
}

const EXAMPLE_SUBMISSION = '00000000-0000-4000-8000-00000000d001';
const EXAMPLE_OTHER = '00000000-0000-4000-8000-00000000d002';

/** The statements of submissions, their hash chain, and the public keys that sign them. */
@Injectable()
export class StatementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Waits for the chain lock, held until the current transaction ends. */
  @GenerateSql({ name: 'the chain lock', args: () => [] })
  async lockChain(): Promise<void> {
    await namedQuery(db(this.dataSource), `SELECT pg_advisory_xact_lock(:lock)`, { lock: CHAIN_LOCK });
  }

  /** A submission's statement, to be sealed: made in the transaction that records the submission. */
  @GenerateSql({ name: 'a pending statement', args: () => [EXAMPLE_SUBMISSION] })
  async addPending(submissionId: string): Promise<void> {
    await namedQuery(db(this.dataSource), `INSERT INTO submission_statement (submission_id) VALUES (:submissionId)`, { submissionId });
  }

  /** The pending statements, in the order their submissions were made. */
  @GenerateSql({ name: 'a batch of pending statements', args: () => [1000] })
  pending(limit: number): Promise<PendingRow[]> {
    return namedQuery<PendingRow>(
      db(this.dataSource),
      `SELECT st.submission_id, s.cluster_id, s.funder_id, s.period_from, s.period_to, s.sha256, s.submitted_at
       FROM submission_statement st JOIN report_submission s ON s.id = st.submission_id
       WHERE st.position IS NULL
       ORDER BY s.submitted_at, s.id
       LIMIT :limit`,
      { limit },
    );
  }

  /** The last sealed statement: its position and hash. */
  @GenerateSql({ name: 'the head of the chain', args: () => [] })
  async head(): Promise<{ position: number; sha256: string } | undefined> {
    const [row] = await namedQuery<{ position: number; sha256: string }>(
      db(this.dataSource),
      `SELECT position, sha256 FROM submission_statement WHERE position IS NOT NULL ORDER BY position DESC LIMIT 1`,
      {},
    );
    return row;
  }

  /** Writes sealed statements, each only while still pending: one statement for all of them. */
  @GenerateSql({
    name: 'two sealed statements',
    args: (): SealedRow[][] => [
      [
        {
          submissionId: EXAMPLE_SUBMISSION,
          position: 1,
          statement: 's1',
          sha256: 'a'.repeat(64),
          previous: null,
          signature: 'sig1',
          keyId: 'k1',
        },
        {
          submissionId: EXAMPLE_OTHER,
          position: 2,
          statement: 's2',
          sha256: 'b'.repeat(64),
          previous: 'a'.repeat(64),
          signature: 'sig2',
          keyId: 'k1',
        },
      ],
    ],
  })
  async seal(rows: SealedRow[]): Promise<void> {
    await namedQuery(
      db(this.dataSource),
      `UPDATE submission_statement st
       SET position = x.position, statement = x.statement, sha256 = x.sha256, previous = x.previous,
           signature = x.signature, key_id = x.key_id
       FROM unnest(CAST(:ids AS uuid[]), CAST(:positions AS int[]), CAST(:statements AS text[]), CAST(:hashes AS char(64)[]),
                   CAST(:previous AS char(64)[]), CAST(:signatures AS varchar[]), CAST(:keyIds AS varchar[]))
            AS x(submission_id, position, statement, sha256, previous, signature, key_id)
       WHERE st.submission_id = x.submission_id AND st.position IS NULL`,
      {
        ids: rows.map((r) => r.submissionId),
        positions: rows.map((r) => r.position),
        statements: rows.map((r) => r.statement),
        hashes: rows.map((r) => r.sha256),
        previous: rows.map((r) => r.previous),
        signatures: rows.map((r) => r.signature),
        keyIds: rows.map((r) => r.keyId),
      },
    );
  }

  /** Publishes a public key (kept for good: statements it signed verify with it). */
  @GenerateSql({ name: 'a public key', args: () => ['k1', 'x'.repeat(43)] })
  async registerKey(id: string, x: string): Promise<void> {
    await namedQuery(db(this.dataSource), `INSERT INTO signing_key (id, x) VALUES (:id, :x) ON CONFLICT (id) DO NOTHING`, { id, x });
  }

  /** The statement of a submission the caller may read; none when it may not (or there is no such submission). */
  @GenerateSql({ name: 'a statement, for a funder key', args: () => [exampleCaller('funder'), EXAMPLE_SUBMISSION] })
  async statementOf(caller: Caller, submissionId: string): Promise<StatementRow | undefined> {
    const visible = readableSubmissions(caller, 's');
    const [row] = await namedQuery<StatementRow>(
      db(this.dataSource),
      `SELECT st.position, st.statement, st.signature, st.key_id
       FROM report_submission s JOIN submission_statement st ON st.submission_id = s.id
       WHERE s.id = :submissionId AND ${visible.sql}`,
      { submissionId, ...visible.params },
    );
    return row;
  }

  /** The sealed links after a position, in order: `limit` of them at most. */
  @GenerateSql({ name: 'a page of the chain', args: () => [0, 3] })
  chain(after: number, limit: number): Promise<ChainRow[]> {
    return namedQuery<ChainRow>(
      db(this.dataSource),
      `SELECT position, sha256, previous FROM submission_statement
       WHERE position > :after ORDER BY position LIMIT :limit`,
      { after, limit },
    );
  }

  /** Every public key ever used, oldest first. */
  @GenerateSql({ name: 'the keys', args: () => [] })
  keys(): Promise<{ id: string; x: string }[]> {
    return namedQuery<{ id: string; x: string }>(db(this.dataSource), `SELECT id, x FROM signing_key ORDER BY created_at, id`, {});
  }
}

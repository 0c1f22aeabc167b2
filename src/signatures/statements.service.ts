import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { Environment } from '../config/environment.js';
import { transaction } from '../database/transaction-context.js';
import type { ChainPage, Jwks, StatementResponse } from './statements.dto.js';
import { type SealedRow, StatementsRepository } from './statements.repository.js';
import { sha256Hex, statementText } from './statement.js';
import { SigningKeyPair } from './signing-key.js';

/** Statements sealed in one transaction, at most. */
const SEAL_BATCH = 1000;
/** Links in one page of GET /statements. */
export const CHAIN_PAGE = 500;

/**
 * Signed statements of submissions. A submission's transaction adds its statement pending; `seal` then gives
 * every pending statement, in the order of the submissions, its place in the chain, the hash of the statement
 * before it and its Ed25519 signature — under the chain lock, in a READ COMMITTED transaction, so that it sees
 * the head the last sealing committed, and the chain never forks. Start-up seals what is pending (statements of
 * submissions made before signing existed, or whose request ended before sealing).
 */
@Injectable()
export class StatementsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Statements');
  readonly key: SigningKeyPair;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: StatementsRepository,
    env: Environment,
  ) {
    if (env.SIGNING_KEY) {
      this.key = SigningKeyPair.fromSetting(env.SIGNING_KEY);
    } else {
      // Start-up (main.ts) always sets one; an application built without (a script, a test) gets a key for this process only,
      // published like any other, so what it signs stays verifiable.
      this.logger.warn('SIGNING_KEY is not set: statements are signed with a key made for this process only.');
      this.key = SigningKeyPair.random();
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.registerKey(this.key.id, this.key.x);
    let sealed = 0;
    for (let n = await this.seal(); n > 0; n = await this.seal()) sealed += n;
    if (sealed > 0) this.logger.log(`Statements of earlier submissions signed and chained: ${sealed}`);
  }

  /** A submission's statement, pending until `seal`: in the transaction that records the submission. */
  addPending(submissionId: string): Promise<void> {
    return this.repository.addPending(submissionId);
  }

  /**
   * Seals the pending statements (up to a batch), oldest submission first; how many. In the current transaction
   * when a request opened one (then the lock is held to its end), else in one of its own.
   */
  seal(): Promise<number> {
    return transaction(this.dataSource, async () => {
      await this.repository.lockChain();
      const pending = await this.repository.pending(SEAL_BATCH);
      if (pending.length === 0) return 0;
      const head = await this.repository.head();
      let position = head?.position ?? 0;
      let previous = head?.sha256 ?? null;
      const rows: SealedRow[] = [];
      for (const p of pending) {
        const statement = statementText(
          {
            submissionId: p.submission_id,
            clusterId: p.cluster_id,
            funderId: p.funder_id,
            from: p.period_from,
            to: p.period_to,
            sha256: p.sha256,
            submittedAt: p.submitted_at,
          },
          previous,
        );
        const sha256 = sha256Hex(statement);
        position += 1;
        rows.push({
          submissionId: p.submission_id,
          position,
          statement,
          sha256,
          previous,
          signature: this.key.sign(statement),
          keyId: this.key.id,
        });
        previous = sha256;
      }
      await this.repository.seal(rows);
      return rows.length;
    });
  }

  /** The signed statement of a submission the caller may read (404 otherwise); a pending one is sealed first. */
  async statementOf(caller: Caller, submissionId: string): Promise<StatementResponse> {
    let row = await this.repository.statementOf(caller, submissionId);
    if (!row) throw DomainError.notFound('The report submission');
    if (row.position === null) {
      await this.seal();
      row = await this.repository.statementOf(caller, submissionId);
    }
    if (!row?.statement || !row.signature || !row.key_id) throw new Error(`The statement of submission ${submissionId} is still pending`);
    return { statement: row.statement, signature: row.signature, keyId: row.key_id };
  }

  /** The chain after a position: links only, no content. */
  async chain(after: number): Promise<ChainPage> {
    const rows = await this.repository.chain(after, CHAIN_PAGE + 1);
    const items = rows.slice(0, CHAIN_PAGE).map((r) => ({ position: r.position, sha256: r.sha256, previous: r.previous }));
    return { items, next: rows.length > CHAIN_PAGE ? items[items.length - 1].position : null };
  }

  /** Every public key ever used, as a JWKS. */
  async keys(): Promise<Jwks> {
    const keys = await this.repository.keys();
    return { keys: keys.map((k) => ({ kty: 'OKP', crv: 'Ed25519', kid: k.id, x: k.x, alg: 'EdDSA', use: 'sig' })) };
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency records made before POST /api-keys stopped keeping its secret
 * held the new key's secret in plain text (for their 24 hours): drop it.
 * Nothing to undo.
 */
export class ForgetStoredSecrets1795790000001 implements MigrationInterface {
  name = 'ForgetStoredSecrets1795790000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "idempotency_key" SET "response_body" = ("response_body"::jsonb - 'secret')::json
       WHERE json_typeof("response_body") = 'object' AND "response_body"::jsonb ? 'secret'`,
    );
  }

  public async down(): Promise<void> {}
}

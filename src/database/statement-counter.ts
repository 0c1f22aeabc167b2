import { AdvancedConsoleLogger, type LoggerOptions, type QueryRunner } from 'typeorm';

/**
 * TypeORM's console logger that also counts the SQL statements sent, so
 * that tests can assert how many a request makes (a number that does not
 * depend on data size or timing).
 */
export class StatementCountingLogger extends AdvancedConsoleLogger {
  statements = 0;

  constructor(options: LoggerOptions) {
    super(options);
  }

  override logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.statements += 1;
    super.logQuery(query, parameters, queryRunner);
  }
}

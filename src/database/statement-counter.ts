import { AdvancedConsoleLogger, type LoggerOptions, type QueryRunner } from 'typeorm';

/** The statements sent while a recording ran, in order. */
export interface StatementRecording {
  /** Ends the recording and returns what it saw. */
  stop(): string[];
}

/**
 * TypeORM's console logger that also counts the SQL statements sent, so
 * that tests can assert how many a request makes (a number that does not
 * depend on data size or timing), and can record their text to tell the
 * request's own statements from others (the API-key lookup, say).
 */
export class StatementCountingLogger extends AdvancedConsoleLogger {
  statements = 0;
  private readonly recordings = new Set<string[]>();

  constructor(options: LoggerOptions) {
    super(options);
  }

  /** Records every statement sent from now until `stop()`. */
  record(): StatementRecording {
    const seen: string[] = [];
    this.recordings.add(seen);
    return {
      stop: () => {
        this.recordings.delete(seen);
        return seen;
      },
    };
  }

  override logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.statements += 1;
    for (const seen of this.recordings) seen.push(query);
    super.logQuery(query, parameters, queryRunner);
  }
}

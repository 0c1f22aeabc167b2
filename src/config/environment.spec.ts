import { EnvironmentError, publicUrl, reportReadConnections, validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('applies defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      STYRMAN_DATA_DIR: './.data',
      REPORT_TIME_ZONE: 'Europe/Stockholm',
      LOG_LEVEL: 'info',
      REPORT_MAX_DAYS: 3660,
      REPORT_CONCURRENCY: 2,
      REPORT_QUEUE_TIMEOUT_MS: 10_000,
    });
    expect(env).toMatchObject({
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 72_000,
      HTTP_MAX_CONNECTIONS: 1000,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DEMO_DATA).toBeUndefined();
  });

  it('takes PUBLIC_URL as an http(s) address without a trailing slash, and defaults links to localhost:PORT', () => {
    expect(validateEnvironment({ PUBLIC_URL: 'https://styrman.example.org/' }).PUBLIC_URL).toBe('https://styrman.example.org');
    expect(publicUrl(validateEnvironment({ PUBLIC_URL: 'https://intra.example.org/styrman' }))).toBe('https://intra.example.org/styrman');
    expect(publicUrl(validateEnvironment({ PORT: '4800' }))).toBe('http://localhost:4800');
    for (const bad of ['styrman.example.org', 'ftp://styrman.example.org', 'https://styrman.example.org/?x=1', 'https://']) {
      expect(() => validateEnvironment({ PUBLIC_URL: bad })).toThrow(/PUBLIC_URL/);
    }
  });

  it('names DATABASE_URL when it is no URL, and METRICS_TOKEN when it is too short', () => {
    expect(() => validateEnvironment({ DATABASE_URL: 'postgres://u:p@ss@db:port/x' })).toThrow(/DATABASE_URL: is not a valid URL/);
    expect(() => validateEnvironment({ DATABASE_URL: 'postgres://u:p@db:70000/x' })).toThrow(/DATABASE_URL/);
    expect(() => validateEnvironment({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(validateEnvironment({ METRICS_TOKEN: 'a-token-long-enough' }).METRICS_TOKEN).toBe('a-token-long-enough');
  });

  it('takes DATABASE_DIRECT_URL (default DATABASE_URL) and DATABASE_REPLICA_URL as postgres URLs, only with DATABASE_URL', () => {
    const url = 'postgres://u:p@pgbouncer:6432/styrman';
    expect(validateEnvironment({ DATABASE_URL: url }).DATABASE_DIRECT_URL).toBe(url);
    const env = validateEnvironment({
      DATABASE_URL: url,
      DATABASE_DIRECT_URL: 'postgres://u:p@db:5432/styrman',
      DATABASE_REPLICA_URL: 'postgres://u:p@replica:5432/styrman',
    });
    expect(env).toMatchObject({
      DATABASE_DIRECT_URL: 'postgres://u:p@db:5432/styrman',
      DATABASE_REPLICA_URL: 'postgres://u:p@replica:5432/styrman',
    });
    expect(() => validateEnvironment({ DATABASE_URL: url, DATABASE_DIRECT_URL: 'mysql://db/x' })).toThrow(/DATABASE_DIRECT_URL/);
    expect(() => validateEnvironment({ DATABASE_URL: url, DATABASE_REPLICA_URL: 'postgres://u:p@ss@db:port/x' })).toThrow(
      /DATABASE_REPLICA_URL: is not a valid URL/,
    );
    expect(() => validateEnvironment({ DATABASE_REPLICA_URL: 'postgres://u:p@replica:5432/styrman' })).toThrow(
      /DATABASE_REPLICA_URL: is set without DATABASE_URL/,
    );
  });

  it('takes MEMORY_LIMIT_MB as 0 or 128 to 1048576 megabytes, and names it otherwise', () => {
    expect(validateEnvironment({ MEMORY_LIMIT_MB: '256' }).MEMORY_LIMIT_MB).toBe(256);
    expect(validateEnvironment({ MEMORY_LIMIT_MB: '0' }).MEMORY_LIMIT_MB).toBe(0);
    expect(validateEnvironment({}).MEMORY_LIMIT_MB).toBeUndefined();
    for (const bad of ['64', 'lots', '2000000']) {
      expect(() => validateEnvironment({ MEMORY_LIMIT_MB: bad })).toThrow(/MEMORY_LIMIT_MB/);
    }
  });

  it('listens on 127.0.0.1 with the embedded database, on every interface with DATABASE_URL, unless HOST says otherwise', () => {
    expect(validateEnvironment({}).HOST).toBe('127.0.0.1');
    expect(validateEnvironment({ DATABASE_URL: 'postgres://u:p@db:5432/styrman' }).HOST).toBe('0.0.0.0');
    expect(validateEnvironment({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(validateEnvironment({ DATABASE_URL: 'postgres://u:p@db:5432/styrman', HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
    expect(validateEnvironment({ HOST: '' }).HOST).toBe('127.0.0.1');
  });

  it('converts numbers and booleans', () => {
    const env = validateEnvironment({ PORT: '8080', EMBEDDED_PG_PORT: '55432', DEMO_DATA: 'false', REPORT_CONCURRENCY: '4' });
    expect(env).toMatchObject({ PORT: 8080, EMBEDDED_PG_PORT: 55432, DEMO_DATA: false, REPORT_CONCURRENCY: 4 });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['EMBEDDED_PG_PORT', '80'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DEMO_DATA', 'maybe'],
    ['REPORT_TIME_ZONE', 'Europe/Gothenburg'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_API_KEY', 'short'],
    ['DB_POOL_SIZE', '0'],
    ['HTTP_HEADERS_TIMEOUT_MS', '50'],
    ['HTTP_HEADERS_TIMEOUT_MS', '40000'], // longer than the default HTTP_REQUEST_TIMEOUT_MS
    ['HTTP_REQUEST_TIMEOUT_MS', 'soon'],
    ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '-1'],
    ['HTTP_MAX_CONNECTIONS', '0'],
    ['REPORT_MAX_DAYS', '0'],
    ['REPORT_MAX_DAYS', 'ten years'],
    ['REPORT_CONCURRENCY', '0'],
    ['REPORT_CONCURRENCY', '1.5'],
    ['REPORT_CONCURRENCY', '10'], // as many as the default DB_POOL_SIZE: reports could take every connection
    ['REPORT_QUEUE_TIMEOUT_MS', '-1'],
    ['REPORT_READ_CONNECTIONS', '0'],
    ['REPORT_READ_CONNECTIONS', '5'],
  ])('stops on a bad %s (%s) with a message naming it', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(EnvironmentError);
    expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(name));
  });

  it('counts the connections a report reads on against the pool: REPORT_CONCURRENCY × REPORT_READ_CONNECTIONS < DB_POOL_SIZE', () => {
    // Two reports on two connections each of the default ten; five would take every one.
    expect(validateEnvironment({}).REPORT_READ_CONNECTIONS).toBe(2);
    expect(() => validateEnvironment({ REPORT_CONCURRENCY: '4' })).not.toThrow();
    // Left unset, it gives way to what the pool has room for (a configuration from before the setting still starts);
    // set, it is held to.
    expect(validateEnvironment({ REPORT_CONCURRENCY: '5' }).REPORT_READ_CONNECTIONS).toBe(1);
    expect(validateEnvironment({ REPORT_CONCURRENCY: '3', DB_POOL_SIZE: '6' }).REPORT_READ_CONNECTIONS).toBe(1);
    expect(validateEnvironment({ REPORT_CONCURRENCY: '3', DB_POOL_SIZE: '7' }).REPORT_READ_CONNECTIONS).toBe(2);
    expect(() => validateEnvironment({ REPORT_CONCURRENCY: '5', REPORT_READ_CONNECTIONS: '2' })).toThrow(
      /REPORT_CONCURRENCY × REPORT_READ_CONNECTIONS/,
    );
    expect(() => validateEnvironment({ REPORT_CONCURRENCY: '5', REPORT_READ_CONNECTIONS: '1' })).not.toThrow();
    expect(() => validateEnvironment({ REPORT_CONCURRENCY: '4', REPORT_READ_CONNECTIONS: '3' })).toThrow(/REPORT_READ_CONNECTIONS/);
    // Through a transaction pooler (DATABASE_DIRECT_URL apart from DATABASE_URL) a report reads on one connection.
    const pooled = { DATABASE_URL: 'postgres://u:p@pgbouncer:6432/styrman', DATABASE_DIRECT_URL: 'postgres://u:p@db:5432/styrman' };
    expect(reportReadConnections(validateEnvironment(pooled))).toBe(1);
    expect(() => validateEnvironment({ ...pooled, REPORT_CONCURRENCY: '5' })).not.toThrow();
    expect(reportReadConnections(validateEnvironment({ DATABASE_URL: pooled.DATABASE_URL }))).toBe(2);
  });

  it('names every bad variable at once', () => {
    expect.assertions(3);
    try {
      validateEnvironment({ PORT: 'x', LOG_LEVEL: 'y' });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvironmentError);
      expect(String(error)).toMatch(/PORT/);
      expect(String(error)).toMatch(/LOG_LEVEL/);
    }
  });
});

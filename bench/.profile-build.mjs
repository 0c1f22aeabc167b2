// Where a report build's time goes: every statement timed, for the ended and the running quarter (not committed).
import { importDist, readState, startDatabaseServer, withDatabase } from './lib.mjs';
const state = await readState();
const server = await startDatabaseServer({ dataDir: state.server.dataDir ?? undefined });
try {
  const { createApp } = await importDist('src/app.factory.js');
  const { validateEnvironment } = await importDist('src/config/environment.js');
  const { PostgresQueryRunner } = await import('typeorm/driver/postgres/PostgresQueryRunner.js');
  const times = [];
  const original = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function (sql, params, structured) {
    const t = performance.now();
    try { return await original.call(this, sql, params, structured); } finally { times.push([performance.now() - t, sql.replace(/\s+/g, ' ').slice(0, 70)]); }
  };
  const app = await createApp(validateEnvironment({ LOG_LEVEL: 'warn', DATABASE_URL: withDatabase(server.serverUrl, state.databases['1x'].name), DEMO_DATA: 'false', REPORT_KEEP: 'false', RATE_LIMIT_PER_MINUTE: '0' }));
  await app.listen(0, '127.0.0.1');
  const port = app.getHttpServer().address().port;
  const now = new Date();
  for (const period of [state.reportPeriod, `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`]) {
    for (let i = 0; i < 3; i++) {
      times.length = 0;
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/funders/${state.ids.funder}/report?period=${period}`, { headers: { authorization: `Bearer ${state.keys.funder}` } });
      const body = await res.arrayBuffer();
      const total = performance.now() - t;
      if (i < 2) continue;
      const sql = times.reduce((n, [ms]) => n + ms, 0);
      console.log(`${period}: ${res.status}, ${(body.byteLength / 1e6).toFixed(2)} MB, ${total.toFixed(0)} ms in all, ${sql.toFixed(0)} ms in ${times.length} statements`);
      const by = new Map();
      for (const [ms, s] of times) by.set(s, (by.get(s) ?? 0) + ms);
      for (const [s, ms] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${s}`);
    }
  }
  await app.close();
} finally {
  await server.stop();
}

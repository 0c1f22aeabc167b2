/**
 * A regional dashboard's polling loop: GET /api/v1/dashboard with the ETag of
 * the last answer in If-None-Match, so an unchanged dashboard costs a 304 and
 * no body. Plain fetch, no generated types needed.
 *
 *   STYRMAN_URL=http://localhost:3000 STYRMAN_KEY=sty_... npm run example:dashboard
 */
const baseUrl = process.env.STYRMAN_URL ?? 'http://localhost:3000';
const key = process.env.STYRMAN_KEY;
const everyMs = Number(process.env.POLL_SECONDS ?? 30) * 1000;
const times = Number(process.env.POLL_TIMES ?? 3);

interface DashboardRow {
  cluster: { name: string; region: string };
  worstStatus: string | null;
}

let etag: string | undefined;
let rows: DashboardRow[] = [];

/** One poll: the new rows, or the ones we had when the server answers 304 Not Modified. */
export async function poll(): Promise<{ changed: boolean; rows: DashboardRow[] }> {
  const res = await fetch(`${baseUrl}/api/v1/dashboard`, {
    headers: { Authorization: `Bearer ${key ?? ''}`, ...(etag ? { 'If-None-Match': etag } : {}) },
  });
  if (res.status === 304) return { changed: false, rows };
  if (!res.ok) throw new Error(`${res.status}: ${JSON.stringify(await res.json())}`);
  etag = res.headers.get('etag') ?? undefined;
  rows = ((await res.json()) as { items: DashboardRow[] }).items;
  return { changed: true, rows };
}

if (key) {
  for (let i = 0; i < times; i++) {
    const { changed, rows: now } = await poll();
    console.log(changed ? `changed: ${now.map((r) => `${r.cluster.name} ${r.worstStatus ?? '-'}`).join(', ')}` : 'not modified (304)');
    if (i < times - 1) await new Promise((r) => setTimeout(r, everyMs));
  }
} else {
  console.error('Set STYRMAN_KEY to a key (the viewer key printed at the first start will do).');
  process.exitCode = 1;
}

#!/usr/bin/env node
// Benchmark data generator: writes straight to PostgreSQL with COPY (not through the API).
//
//   node bench/seed.mjs [--scale=1] [--history=1,4] [--span=extend|dense] [--years=3] [--seed=20261127] [--dry-run]
//
// Per database: 200 clusters (× scale) across Sweden's 21 regions, each with ~30 goals (a third long-term,
// most with an indicator and monthly measurements), ~60 activities and ~10 low-hanging fruits; 20 funders,
// one of which funds 50 clusters; at least 1 million status_update rows (× history) over three years.
// Programme indicators: the big funder's clusters adopt the common RCO01 (enterprises supported, by size), RCO10
// (cooperating with research) and RCR02 (private investment, EUR) and a definition of the funder's own (partners,
// a sum) on four of their goals; measurements of the organisation indicators list the member firms supported so far
// (valid organisation numbers, firms shared between clusters), so that its indicator totals add up real overlaps.
// Every item's history is consistent: its first row is its creation, its newest row carries the item's
// status and state, its version counts its writes. Rows are written in time order, as the API would have.
//
// --history=1,4 (default) seeds two databases, styrman_bench_1x and styrman_bench_4x, with the same items
// (same ids) and 1× / 4× the history. --span=extend (default): the 4× history reaches 4× as far back at the
// same rate of change (a system that has been in use 4× as long); --span=dense: the same years with 4× as
// many status updates per item.
//
// The database server: DATABASE_URL if set (the role needs CREATEDB), else the project's embedded
// PostgreSQL in $BENCH_DATA_DIR (default <tmpdir>/styrman-bench), stopped again at the end. Each database
// is dropped and created afresh (status_update is append-only: a trigger forbids UPDATE/DELETE/TRUNCATE).
// What `bench/run.mjs` needs (keys, ids, database names) goes to bench/.state.json.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  copyFrom,
  copyValue,
  DEFAULT_DATA_DIR,
  importDist,
  parseArgs,
  readState,
  requireDist,
  secondsSince,
  startDatabaseServer,
  withDatabase,
  writeState,
} from './lib.mjs';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const REGIONS = [
  'Stockholm', 'Uppsala', 'Södermanland', 'Östergötland', 'Jönköping', 'Kronoberg', 'Kalmar', 'Gotland',
  'Blekinge', 'Skåne', 'Halland', 'Västra Götaland', 'Värmland', 'Örebro', 'Västmanland', 'Dalarna',
  'Gävleborg', 'Västernorrland', 'Jämtland Härjedalen', 'Västerbotten', 'Norrbotten',
];
const FOCUS = [
  'Life Science', 'Fordonsindustri', 'Skog och trä', 'Livsmedel', 'Besöksnäring', 'Digital hälsa', 'Energi',
  'Materialteknik', 'Textil', 'Spelutveckling', 'Logistik', 'Stål och metall', 'Vattenteknik', 'Rymdteknik',
  'Cirkulär ekonomi', 'Fintech', 'Kulturella näringar', 'Maritim näring', 'Bioekonomi', 'Smart industri',
];
const PHASES = ['initiation', 'mobilisation', 'formation', 'organisation'];
const PERSPECTIVES = ['business', 'public_sector', 'academia'];
const UNITS = ['antal företag', 'MSEK omsättning', 'antal projekt', 'procent', 'antal patent', 'antal anställda', 'ton CO2e', 'antal exportavtal'];
const GOAL_TITLES = [
  'Fler företag i klustret deltar i gemensamma projekt', 'Ökad export bland medlemsföretagen',
  'Stärkt samverkan med regionens lärosäten', 'Fler kvinnor i ledande roller', 'Minskade utsläpp i värdekedjan',
  'Nya innovationsprojekt med offentlig sektor', 'Ökad kompetensförsörjning', 'Fler nystartade företag',
  'Internationell synlighet för regionen', 'Högre andel digitaliserade processer',
];
const ACTIVITY_TITLES = [
  'Matchmaking-dag för medlemsföretag', 'Workshop om cirkulära affärsmodeller', 'Studieresa till partnerkluster',
  'Ansökan till Horisont Europa', 'Kompetensprogram för SMF', 'Seminarieserie med universitetet',
  'Gemensam monter på mässa', 'Behovsinventering bland företagen', 'Pilotprojekt med kommunen',
  'Uppdatera klustrets strategi', 'Rekrytering av processledare', 'Innovationstävling för studenter',
];
const FRUIT_TITLES = [
  'Nyhetsbrev till medlemmarna', 'Gemensam LinkedIn-sida', 'Frukostmöte med banken', 'Kontaktlista till lärosätet',
  'Dela lokaler för möten', 'Bjud in regionen till styrgruppen', 'Lista över pågående projekt',
];
const OWNERS = ['Anna Lindqvist', 'Erik Johansson', 'Sara Nilsson', 'Mohammed Ali', 'Karin Åberg', 'Johan Öberg', 'Elin Håkansson', 'Lars Ström'];
const ATTENTION = [
  'Två nyckelföretag har inte anslutit ännu; möte i mars.', 'Försenat eftersom projektledaren är föräldraledig.',
  'Finansieringen från regionen är inte beslutad.', 'Lägre deltagande än planerat, vi ser över formatet.',
  'Leverantören har dragit sig ur; ny upphandling pågår.', 'Resurserna räcker inte till alla delmål i år.',
];
const GREEN = ['Enligt plan.', 'Bra uppslutning på senaste träffen.', 'Klart för nästa steg.', 'Delrapport inskickad.'];
const CREATED = ['Läggs in i handlingsplanen.', 'Beslutat av styrgruppen.', null, null];
const LOREM =
  'Klustret samlar företag, lärosäten och offentliga aktörer i regionen för att stärka konkurrenskraften, ' +
  'öka innovationstakten och bidra till en hållbar omställning. Arbetet följs upp kvartalsvis med styrgruppen.';

// ---------------------------------------------------------------- deterministic randomness

class Rng {
  constructor(seed) {
    this.a = seed >>> 0 || 1;
  }
  float() {
    let t = (this.a = (this.a + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), 1 | t);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo, hi) {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.float() * list.length)];
  }
  chance(p) {
    return this.float() < p;
  }
  u32() {
    return Math.floor(this.float() * 4294967296) >>> 0;
  }
  uuid() {
    const h = [this.u32(), this.u32(), this.u32(), this.u32()].map((n) => n.toString(16).padStart(8, '0')).join('');
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  bytes(n) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i += 1) b[i] = this.u32() & 0xff;
    return b;
  }
}

const iso = (ms) => new Date(ms).toISOString();
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

// ---------------------------------------------------------------- the plan: clusters, items, funders

/**
 * Everything that does not depend on the amount of history: the same ids,
 * names and proportions for every history factor (Rng seeded with `seed` only).
 */
function generateStructure({ seed, nClusters, bigFunderClusters }) {
  const rng = new Rng(seed);
  const clusters = [];
  const names = new Set();
  for (let i = 0; i < nClusters; i += 1) {
    const region = REGIONS[i % REGIONS.length];
    const focus = rng.pick(FOCUS);
    let name = `${focus} ${region}`;
    for (let n = 2; names.has(name.toLowerCase()); n += 1) name = `${focus} ${region} ${n}`;
    names.add(name.toLowerCase());
    clusters.push({
      index: i,
      id: rng.uuid(),
      name,
      region,
      phase: rng.pick(PHASES),
      focusArea: focus,
      vision: `${name}: ${LOREM}`,
      purpose: LOREM,
      publicBadge: rng.chance(0.3),
      startOffset: rng.float(), // how long before the history starts the cluster was registered
      editor: { id: rng.uuid(), name: `Processledare ${name}`, secretHash: rng.bytes(32), prefix: `sty_${rng.bytes(6).toString('base64url')}` },
      goals: [],
      activities: [],
      fruits: [],
    });
  }
  const items = [];
  for (const c of clusters) {
    const nGoals = rng.int(24, 36);
    const nLong = Math.round(nGoals / 3);
    for (let g = 0; g < nGoals; g += 1) {
      const horizon = g < nLong ? 'long_term' : 'short_term';
      const hasIndicator = rng.chance(0.8);
      const baseline = rng.int(0, 200);
      const falling = rng.chance(0.1);
      const goal = {
        kind: 'goal',
        id: rng.uuid(),
        cluster: c,
        title: `${rng.pick(GOAL_TITLES)} (${g + 1})`,
        description: rng.chance(0.7) ? LOREM : null,
        horizon,
        perspective: rng.chance(0.9) ? rng.pick(PERSPECTIVES) : null,
        contributesTo: horizon === 'short_term' && rng.chance(0.7) ? c.goals[rng.int(0, nLong - 1)].id : null,
        dueDays: rng.chance(0.7) ? rng.int(180, 1500) : null,
        indicator: hasIndicator
          ? { unit: rng.pick(UNITS), baseline, target: falling ? Math.max(0, baseline - rng.int(10, 100)) : baseline + rng.int(10, 300) }
          : null,
        archived: horizon === 'short_term' && rng.chance(0.02),
        u: rng.float(),
        jitter: 0.3 + 1.4 * rng.float(),
        fate: rng.float(),
      };
      c.goals.push(goal);
      items.push(goal);
    }
    for (let a = 0, n = rng.int(48, 72); a < n; a += 1) {
      const activity = {
        kind: 'activity',
        id: rng.uuid(),
        cluster: c,
        title: `${rng.pick(ACTIVITY_TITLES)} ${a + 1}`,
        description: rng.chance(0.6) ? LOREM : null,
        owner: rng.chance(0.8) ? rng.pick(OWNERS) : null,
        goalId: rng.chance(0.7) ? rng.pick(c.goals).id : null,
        startDays: rng.chance(0.9) ? rng.int(0, 60) : null,
        dueDays: rng.chance(0.9) ? rng.int(30, 540) : null,
        archived: rng.chance(0.02),
        u: rng.float(),
        jitter: 0.3 + 1.4 * rng.float(),
        fate: rng.float(),
      };
      if (activity.goalId && c.goals.find((g) => g.id === activity.goalId).archived) activity.goalId = null;
      c.activities.push(activity);
      items.push(activity);
    }
    for (let f = 0, n = rng.int(7, 13); f < n; f += 1) {
      const fruit = {
        kind: 'low_hanging_fruit',
        id: rng.uuid(),
        cluster: c,
        title: `${rng.pick(FRUIT_TITLES)} ${f + 1}`,
        how: rng.chance(0.5) ? 'Processledaren ordnar det på nästa styrgruppsmöte.' : null,
        owner: rng.chance(0.7) ? rng.pick(OWNERS) : null,
        goalId: rng.chance(0.4) ? rng.pick(c.goals.filter((g) => !g.archived)).id : null,
        whenDays: rng.int(7, 180),
        archived: rng.chance(0.02),
        u: rng.float(),
        jitter: 0.3 + 1.4 * rng.float(),
        fate: rng.float(),
      };
      c.fruits.push(fruit);
      items.push(fruit);
    }
  }

  // 20 funders; the first (Vinnova) funds `bigFunderClusters` clusters.
  const regional = [
    'Region Stockholm', 'Region Uppsala', 'Region Östergötland', 'Region Skåne', 'Västra Götalandsregionen',
    'Region Värmland', 'Region Örebro län', 'Region Dalarna', 'Region Västerbotten', 'Region Norrbotten',
  ];
  const funders = [
    { name: 'Vinnova', kind: 'national_agency', reportingPeriod: 'quarterly' },
    { name: 'Tillväxtverket', kind: 'national_agency', reportingPeriod: 'half_yearly' },
    { name: 'Europeiska regionala utvecklingsfonden', kind: 'eu_fund', reportingPeriod: 'half_yearly' },
    ...regional.map((name) => ({ name, kind: 'regional_council', reportingPeriod: 'yearly', region: name.replace(/^Region |s? län$|regionen$/g, '').replace('Västra Götalands', 'Västra Götaland') })),
    { name: 'Länsstyrelsen i Kalmar län', kind: 'county_council', reportingPeriod: 'yearly', region: 'Kalmar' },
    { name: 'Länsstyrelsen i Gävleborgs län', kind: 'county_council', reportingPeriod: 'yearly', region: 'Gävleborg' },
    { name: 'Göteborgs Stad', kind: 'municipality', reportingPeriod: 'yearly', region: 'Västra Götaland' },
    { name: 'Malmö stad', kind: 'municipality', reportingPeriod: 'yearly', region: 'Skåne' },
    { name: 'Umeå kommun', kind: 'municipality', reportingPeriod: 'yearly', region: 'Västerbotten' },
    { name: 'KK-stiftelsen', kind: 'private', reportingPeriod: 'yearly' },
    { name: 'Familjen Kamprads stiftelse', kind: 'private', reportingPeriod: 'yearly' },
  ].map((f) => ({ ...f, id: rng.uuid() }));
  const shuffled = [...clusters].sort(() => rng.float() - 0.5);
  const funded = new Map(); // funder id -> clusters
  funded.set(funders[0].id, shuffled.slice(0, bigFunderClusters));
  for (const f of funders.slice(1)) {
    let list = f.region ? clusters.filter((c) => c.region === f.region) : [];
    if (f.kind === 'municipality') list = list.slice(0, rng.int(2, 6));
    if (list.length === 0) list = [...clusters].sort(() => rng.float() - 0.5).slice(0, Math.min(clusters.length, rng.int(5, 20)));
    funded.set(f.id, list);
  }
  const indicators = generateIndicators({ seed, funder: funders[0], clusters: funded.get(funders[0].id) });
  return { clusters, items, funders, funded, indicators };
}

const RCO01 = '00000000-0000-4000-8000-0000000c0001';
const RCO10 = '00000000-0000-4000-8000-0000000c0010';
const RCR02 = '00000000-0000-4000-8000-0000000c1002';
const SIZES = ['micro', 'small', 'medium', 'large'];

/** The Luhn check digit that makes nine digits a valid organisationsnummer (src/common/organisation-number.ts). */
function checkDigit(nine) {
  for (let d = 0; d <= 9; d += 1) {
    const digits = `${nine}${d}`;
    let sum = 0;
    for (let i = 0; i < digits.length; i += 1) {
      const product = Number(digits[i]) * ((digits.length - i) % 2 === 0 ? 2 : 1);
      sum += product > 9 ? product - 9 : product;
    }
    if (sum % 10 === 0) return d;
  }
  throw new Error(`no check digit for ${nine}`);
}

/**
 * The big funder's programme: a definition of its own, four goals with an indicator in each of its clusters adopting
 * RCO01, RCO10, RCR02 and its own, and the member firms of each cluster (20–60, a pool of 24 per cluster shared by
 * all: most firms are members of one cluster, many of two or three).
 */
function generateIndicators({ seed, funder, clusters }) {
  const rng = new Rng((seed ^ 0x1d1ca7) >>> 0);
  const own = { id: rng.uuid(), code: 'VINN-PARTNERS', name: 'Partners in joint projects', unit: 'partners', aggregation: 'sum', funderId: funder.id };
  const pool = Array.from({ length: 24 * clusters.length }, (_, i) => {
    const nine = `55${String(6000000 + i * 37).padStart(7, '0')}`;
    return { number: `${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`, size: SIZES[Math.min(3, Math.floor(rng.float() ** 1.5 * 4))] };
  });
  const members = new Map();
  for (const c of clusters) {
    const picked = new Set();
    for (let n = rng.int(20, 60); picked.size < n; ) picked.add(pool[Math.floor(rng.float() * pool.length)]);
    members.set(c.id, [...picked]);
  }
  const adoptions = new Map(); // goal id -> definition id
  for (const c of clusters) {
    const candidates = c.goals.filter((g) => g.indicator && !g.archived);
    const chosen = candidates.slice(0, 4);
    for (const [k, g] of chosen.entries()) {
      const definition = [RCO01, RCO10, RCR02, own.id][k];
      adoptions.set(g.id, definition);
      if (definition === RCR02) g.indicator = { ...g.indicator, baseline: 0, target: rng.int(5, 50) * 100_000 };
      else if (definition === own.id) g.indicator = { ...g.indicator, baseline: 0, target: rng.int(10, 40) };
      else g.indicator = { ...g.indicator, baseline: 0, target: members.get(c.id).length };
    }
  }
  return { own, members, adoptions };
}

// ---------------------------------------------------------------- history

/**
 * The time-dependent part for one history factor: creation times, status
 * updates (in typed arrays, sorted by time), item rows, measurements.
 */
function generateHistory(structure, { seed, history, span, years, anchorMs }) {
  const rng = new Rng((seed * 31 + history * 7919) >>> 0);
  const { clusters, items } = structure;
  const endMs = anchorMs;
  const spanMs = years * (span === 'extend' ? history : 1) * 365.25 * DAY;
  const startMs = endMs - spanMs;

  for (const c of clusters) c.createdMs = Math.floor(startMs - (5 + c.startOffset * 85) * DAY);
  // Most of a plan is written early; items keep being added later.
  for (const it of items) it.createdMs = Math.floor(startMs + it.u ** 1.6 * (spanMs - 60 * DAY));

  // Rows per item: one for its creation, plus updates at one rate per unit of lifetime (× jitter).
  const targetRows = Math.round(5250 * clusters.length * history);
  const weights = items.map((it) => (endMs - it.createdMs) * it.jitter);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const extra = Math.max(0, targetRows - items.length);
  let rows = 0;
  for (let i = 0; i < items.length; i += 1) {
    items[i].n = 1 + Math.floor((extra * weights[i]) / totalWeight);
    rows += items[i].n;
  }
  while (rows < targetRows) {
    items[Math.floor(rng.float() * items.length)].n += 1;
    rows += 1;
  }

  const authors = [{ name: 'bench admin', keyId: null }]; // keyId of the admin key is filled in by the caller
  const authorIndex = new Map();
  for (const c of clusters) {
    authorIndex.set(c.id, authors.length);
    authors.push({ name: c.editor.name, keyId: c.editor.id });
  }
  const comments = [...new Set([...ATTENTION, ...GREEN, ...CREATED.filter(Boolean)])];
  const commentIndex = new Map(comments.map((c, i) => [c, i]));

  const rowItem = new Int32Array(rows);
  const rowTs = new Float64Array(rows);
  const rowStatus = new Uint8Array(rows); // 0 green 1 yellow 2 red
  const rowState = new Int8Array(rows); // -1 null, 0 planned 1 ongoing 2 done 3 cancelled
  const rowComment = new Int16Array(rows); // -1 null
  const rowAuthor = new Int16Array(rows);
  const STATUSES = ['green', 'yellow', 'red'];
  const STATES = ['planned', 'ongoing', 'done', 'cancelled'];

  let r = 0;
  const times = [];
  for (let i = 0; i < items.length; i += 1) {
    const it = items[i];
    const n = it.n;
    const lastAllowed = endMs - HOUR;
    times.length = 0;
    times.push(it.createdMs);
    for (let k = 1; k < n; k += 1) times.push(it.createdMs + rng.float() * (lastAllowed - it.createdMs));
    times.sort((a, b) => a - b);
    for (let k = 0; k < n; k += 1) {
      times[k] = Math.floor(times[k]);
      if (k > 0 && times[k] <= times[k - 1]) times[k] = times[k - 1] + 1;
    }

    // Dates and the final state, from the due date against the end of the history.
    const createdDayMs = it.createdMs;
    let dueMs = null;
    if (it.kind === 'goal') {
      it.dueDate = it.dueDays === null ? null : day(createdDayMs + it.dueDays * DAY);
    } else if (it.kind === 'activity') {
      const startMs2 = it.startDays === null ? null : createdDayMs + it.startDays * DAY;
      dueMs = it.dueDays === null ? null : (startMs2 ?? createdDayMs) + it.dueDays * DAY;
      it.startDate = startMs2 === null ? null : day(startMs2);
      it.dueDate = dueMs === null ? null : day(dueMs);
    } else {
      dueMs = createdDayMs + it.whenDays * DAY;
      it.whenDate = day(dueMs);
    }
    let finalState = -1;
    if (it.kind !== 'goal') {
      const f = it.fate;
      if (dueMs !== null && dueMs < endMs) finalState = f < 0.7 ? 2 : f < 0.78 ? 3 : f < 0.92 ? 1 : 0;
      else finalState = f < 0.45 ? 0 : f < 0.95 ? 1 : 2;
    }
    // Where the state changes: planned until k1, ongoing until k2, then the final state.
    let k1 = n;
    let k2 = n;
    if (finalState === 1) k1 = rng.int(0, n - 1);
    if (finalState >= 2) {
      if (n === 1) {
        k1 = 0;
        k2 = 0;
      } else {
        k2 = rng.int(Math.max(1, Math.ceil(n / 2)), n - 1);
        k1 = rng.int(0, k2);
      }
    }

    let status = rng.float() < 0.8 ? 0 : rng.float() < 0.75 ? 1 : 2;
    const author = authorIndex.get(it.cluster.id);
    for (let k = 0; k < n; k += 1) {
      // Mostly green; a yellow or red light is usually dealt with within a few updates.
      if (k > 0 && rng.float() < (status === 0 ? 0.15 : 0.45)) {
        status = status === 0 ? (rng.chance(0.8) ? 1 : 2) : status === 1 ? (rng.chance(0.75) ? 0 : 2) : rng.chance(0.6) ? 1 : 0;
      }
      let state = -1;
      if (finalState >= 0) state = k < k1 ? 0 : k < k2 ? 1 : finalState;
      let comment = null;
      if (status !== 0) comment = rng.pick(ATTENTION);
      else if (k === 0) comment = rng.pick(CREATED);
      else if (rng.chance(0.25)) comment = rng.pick(GREEN);
      rowItem[r] = i;
      rowTs[r] = times[k];
      rowStatus[r] = status;
      rowState[r] = state;
      rowComment[r] = comment === null ? -1 : commentIndex.get(comment);
      rowAuthor[r] = rng.chance(0.15) ? 0 : author;
      r += 1;
    }
    const lastTs = times[n - 1];
    it.status = STATUSES[status];
    it.state = finalState >= 0 ? STATES[finalState] : null;
    it.completedAt = finalState === 2 ? iso(times[k2]) : null;
    let archivedMs = null;
    if (it.archived) {
      const at = lastTs + (1 + rng.float() * 29) * DAY;
      if (at < endMs - HOUR) archivedMs = Math.floor(at);
    }
    it.archivedAt = archivedMs === null ? null : iso(archivedMs);
    it.version = n + (archivedMs === null ? 0 : 1);
    it.updatedAt = iso(Math.max(lastTs, archivedMs ?? 0));
  }

  // The heap in time order, as an API in use would have written it.
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i += 1) order[i] = i;
  order.sort((a, b) => rowTs[a] - rowTs[b]);

  // Monthly measurements of every goal with an indicator, recorded a few days after the month ends.
  const measurements = [];
  for (const g of items) {
    if (g.kind !== 'goal' || !g.indicator) continue;
    const { baseline, target } = g.indicator;
    const created = new Date(g.createdMs);
    const speed = 0.5 + 0.7 * rng.float();
    const life = Math.max(DAY, endMs - g.createdMs);
    for (let m = 1; ; m += 1) {
      const lastOfMonth = Date.UTC(created.getUTCFullYear(), created.getUTCMonth() + m + 1, 0);
      if (lastOfMonth + 2 * DAY > endMs) break;
      const recorded = Math.min(lastOfMonth + DAY + rng.float() * 14 * DAY, endMs - HOUR);
      const progress = Math.min(1.3, ((lastOfMonth - g.createdMs) / life) * speed);
      const value = Math.round((baseline + (target - baseline) * progress + (rng.float() - 0.5) * 0.1 * Math.abs(target - baseline)) * 10) / 10;
      const definitionId = structure.indicators.adoptions.get(g.id) ?? null;
      let organisations = null;
      if (definitionId === RCO01 || definitionId === RCO10) {
        // The firms supported so far, growing towards every member (RCO10: every third of them).
        const all = structure.indicators.members.get(g.cluster.id).filter((_, i) => definitionId === RCO01 || i % 3 === 0);
        const k = Math.max(1, Math.min(all.length, Math.round(all.length * Math.min(1, progress))));
        organisations = all.slice(0, k).map((o) => ({ number: o.number, size: definitionId === RCO01 ? o.size : null }));
      }
      measurements.push({
        id: rng.uuid(),
        goalId: g.id,
        definitionId,
        value: organisations ? organisations.length : value,
        measuredOn: day(lastOfMonth),
        recorded,
        authorIdx: authorIndex.get(g.cluster.id),
        organisations,
      });
    }
  }
  measurements.sort((a, b) => a.recorded - b.recorded);

  return {
    startMs,
    endMs,
    rows,
    rowItem,
    rowTs,
    rowStatus,
    rowState,
    rowComment,
    rowAuthor,
    order,
    authors,
    comments,
    measurements,
    STATUSES,
    STATES,
  };
}

// ---------------------------------------------------------------- writing

function lines(rows) {
  return rows.map((r) => `${r.map(copyValue).join('\t')}\n`).join('');
}

async function copyRows(client, table, columns, rows, batch = 20_000) {
  let copied = 0;
  for (let i = 0; i < rows.length; i += batch) {
    copied += await copyFrom(client, `COPY ${table} (${columns.join(', ')}) FROM STDIN`, [lines(rows.slice(i, i + batch))]);
  }
  return copied;
}

/**
 * Drops the indexes and constraints of the big append-only tables before the
 * load and gives back a function that recreates them exactly as the
 * migrations made them (definitions read from the catalog).
 */
async function withoutIndexes(client, tables) {
  const { rows: constraints } = await client.query(
    // Foreign keys of other tables that reference these (measurement_organisation → measurement) depend on their keys.
    `SELECT c.conname, c.conrelid::regclass::text AS tbl, c.contype, pg_get_constraintdef(c.oid) AS def, c.conindid::regclass::text AS idx
     FROM pg_constraint c
     WHERE (c.conrelid = ANY($1::regclass[]) AND c.contype IN ('p', 'u', 'f')) OR (c.confrelid = ANY($1::regclass[]) AND c.contype = 'f')
     ORDER BY c.contype DESC`,
    [tables],
  );
  const { rows: indexes } = await client.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i WHERE i.indrelid = ANY($1::regclass[])`,
    [tables],
  );
  const backing = new Set(constraints.filter((c) => c.contype !== 'f').map((c) => c.idx));
  const plain = indexes.filter((i) => !backing.has(i.name));
  for (const c of constraints.filter((x) => x.contype === 'f')) await client.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT "${c.conname}"`);
  for (const c of constraints.filter((x) => x.contype !== 'f')) await client.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT "${c.conname}"`);
  for (const i of plain) await client.query(`DROP INDEX ${i.name}`);
  return async () => {
    for (const c of constraints.filter((x) => x.contype !== 'f')) await client.query(`ALTER TABLE ${c.tbl} ADD CONSTRAINT "${c.conname}" ${c.def}`);
    for (const i of plain) await client.query(i.def);
    for (const c of constraints.filter((x) => x.contype === 'f')) await client.query(`ALTER TABLE ${c.tbl} ADD CONSTRAINT "${c.conname}" ${c.def}`);
  };
}

async function createDatabase(serverUrl, name) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const { dataSourceOptions } = await importDist('src/database/data-source-options.js');
  const { ENTITIES } = await importDist('src/entities.js');
  const { DataSource } = await import('typeorm');
  const dataSource = new DataSource({ ...dataSourceOptions(url, ENTITIES, 2), logging: false, logger: undefined });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  await dataSource.destroy();
  return url;
}

async function seedDatabase({ serverUrl, name, structure, history, options, keys, log }) {
  const t0 = performance.now();
  const url = await createDatabase(serverUrl, name);
  log(`  ${name}: database created and migrated (${secondsSince(t0)} s)`);

  // Cluster names are unique by their folded form (a column of their own since the migration ClusterNameKey).
  const { foldName } = await importDist('src/common/text.js');
  const tGen = performance.now();
  const h = generateHistory(structure, { ...options, history });
  h.authors[0].keyId = keys.adminKeyId;
  log(`  ${name}: generated ${h.rows.toLocaleString('en')} status updates and ${h.measurements.length.toLocaleString('en')} measurements in memory (${secondsSince(tGen)} s)`);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tLoad = performance.now();
  try {
    await client.query(`SET maintenance_work_mem = '512MB'; SET synchronous_commit = off`);
    const restore = await withoutIndexes(client, ['status_update', 'measurement', 'measurement_organisation']);
    const { clusters, items, funders, funded } = structure;
    const endMs = h.endMs;
    const createdAt = iso(h.startMs - 100 * DAY);

    await copyRows(
      client,
      'cluster',
      ['id', 'name', 'name_key', 'region', 'phase', 'focus_area', 'vision', 'purpose', 'public_badge', 'version', 'created_at', 'updated_at', 'archived_at'],
      clusters.map((c) => [c.id, c.name, foldName(c.name), c.region, c.phase, c.focusArea, c.vision, c.purpose, c.publicBadge, 1, iso(c.createdMs), iso(c.createdMs), null]),
    );
    await copyRows(
      client,
      'funder',
      ['id', 'name', 'kind', 'reporting_period', 'version', 'created_at', 'updated_at'],
      funders.map((f) => [f.id, f.name, f.kind, f.reportingPeriod, 1, createdAt, createdAt]),
    );
    const { own, adoptions } = structure.indicators;
    await copyRows(
      client,
      'indicator_definition',
      ['id', 'code', 'name', 'unit', 'aggregation', 'funder_id', 'version', 'created_at', 'updated_at'],
      [[own.id, own.code, own.name, own.unit, own.aggregation, own.funderId, 1, createdAt, createdAt]],
    );
    const { rows: definitionRows } = await client.query(`SELECT id, unit FROM indicator_definition`);
    const unitOf = new Map(definitionRows.map((d) => [d.id, d.unit]));
    // Fundings in consecutive calendar-year windows; the big funder's cover the whole history and beyond.
    const frng = new Rng(options.seed ^ 0xf00d);
    const fundings = [];
    const lastYear = new Date(endMs).getUTCFullYear() + 1;
    const firstYear = new Date(h.startMs).getUTCFullYear();
    for (const [k, f] of funders.entries()) {
      for (const c of funded.get(f.id)) {
        if (k === 0) {
          for (let y = lastYear; y >= firstYear; y -= 3) {
            fundings.push([frng.uuid(), f.id, c.id, `Vinnväxt etapp ${Math.floor((y - firstYear) / 3) + 1}`, `${frng.int(2, 10) * 1_000_000}.00`, 'SEK', `${y - 2}-01-01`, `${y}-12-31`, 1, createdAt, createdAt, null]);
          }
        } else {
          for (let j = 0, n = frng.int(1, 3); j < n; j += 1) {
            const y0 = frng.int(firstYear, lastYear);
            const y1 = Math.min(lastYear + 1, y0 + frng.int(0, 2));
            fundings.push([frng.uuid(), f.id, c.id, `${f.name} programme ${j + 1}`, `${frng.int(50, 5000) * 1000}.${String(frng.int(0, 99)).padStart(2, '0')}`, frng.chance(0.9) ? 'SEK' : 'EUR', `${y0}-01-01`, `${y1}-12-31`, 1, createdAt, createdAt, frng.chance(0.03) ? createdAt : null]);
          }
        }
      }
    }
    await copyRows(client, 'funding', ['id', 'funder_id', 'cluster_id', 'programme', 'amount', 'currency', 'starts_on', 'ends_on', 'version', 'created_at', 'updated_at', 'archived_at'], fundings);

    // Keys: the benchmark's admin and funder keys (secrets in .state.json), a viewer, and one editor per cluster (unknown secrets).
    const hashHex = (b) => `\\x${b.toString('hex')}`;
    const keyRows = [
      [keys.adminKeyId, 'bench admin', 'admin', keys.admin.slice(0, 12), hashHex(sha256(keys.admin)), '{}', null, createdAt],
      [keys.funderKeyId, 'bench funder (Vinnova)', 'funder', keys.funder.slice(0, 12), hashHex(sha256(keys.funder)), '{}', funders[0].id, createdAt],
      [keys.viewerKeyId, 'bench viewer', 'viewer', keys.viewer.slice(0, 12), hashHex(sha256(keys.viewer)), '{}', null, createdAt],
      ...clusters.map((c) => [c.editor.id, c.editor.name, 'editor', c.editor.prefix, hashHex(c.editor.secretHash), `{${c.id}}`, null, createdAt]),
    ];
    await copyRows(client, 'api_key', ['id', 'name', 'role', 'prefix', 'secret_hash', 'cluster_ids', 'funder_id', 'created_at'], keyRows);

    const byCreation = (list) => [...list].sort((a, b) => a.createdMs - b.createdMs);
    const goals = items.filter((i) => i.kind === 'goal');
    // Long-term goals first, so that every contributes_to_goal_id names a goal already written.
    const goalRows = [...byCreation(goals.filter((g) => g.horizon === 'long_term')), ...byCreation(goals.filter((g) => g.horizon === 'short_term'))].map((g) => [
      g.id, g.cluster.id, g.title, g.description, g.horizon, g.perspective, g.contributesTo, g.dueDate,
      adoptions.has(g.id) ? unitOf.get(adoptions.get(g.id)) : (g.indicator?.unit ?? null), g.indicator?.baseline ?? null, g.indicator?.target ?? null,
      adoptions.get(g.id) ?? null, g.status, g.version, iso(g.createdMs), g.updatedAt, g.archivedAt,
    ]);
    await copyRows(client, 'goal', ['id', 'cluster_id', 'title', 'description', 'horizon', 'perspective', 'contributes_to_goal_id', 'due_date', 'indicator_unit', 'indicator_baseline', 'indicator_target', 'indicator_definition_id', 'status', 'version', 'created_at', 'updated_at', 'archived_at'], goalRows);
    await copyRows(
      client,
      'activity',
      ['id', 'cluster_id', 'title', 'description', 'owner', 'goal_id', 'start_date', 'due_date', 'state', 'status', 'completed_at', 'version', 'created_at', 'updated_at', 'archived_at'],
      byCreation(items.filter((i) => i.kind === 'activity')).map((a) => [
        a.id, a.cluster.id, a.title, a.description, a.owner, a.goalId, a.startDate, a.dueDate, a.state, a.status, a.completedAt, a.version, iso(a.createdMs), a.updatedAt, a.archivedAt,
      ]),
    );
    await copyRows(
      client,
      'low_hanging_fruit',
      ['id', 'cluster_id', 'what', 'when_date', 'how', 'owner', 'goal_id', 'state', 'status', 'completed_at', 'version', 'created_at', 'updated_at', 'archived_at'],
      byCreation(items.filter((i) => i.kind === 'low_hanging_fruit')).map((f) => [
        f.id, f.cluster.id, f.title, f.whenDate, f.how, f.owner, f.goalId, f.state, f.status, f.completedAt, f.version, iso(f.createdMs), f.updatedAt, f.archivedAt,
      ]),
    );
    log(`  ${name}: plan written (${clusters.length} clusters, ${items.length.toLocaleString('en')} items, ${fundings.length} fundings) (${secondsSince(tLoad)} s)`);

    const tm = performance.now();
    await copyRows(
      client,
      'measurement',
      ['id', 'goal_id', 'definition_id', 'value', 'measured_on', 'comment', 'author', 'author_key_id', 'created_at'],
      h.measurements.map((m) => [m.id, m.goalId, m.definitionId, m.value, m.measuredOn, null, h.authors[m.authorIdx].name, h.authors[m.authorIdx].keyId, iso(m.recorded)]),
      50_000,
    );
    const organisationRows = h.measurements.flatMap((m) => (m.organisations ?? []).map((o) => [m.id, o.number, o.size]));
    await copyRows(client, 'measurement_organisation', ['measurement_id', 'organisation_number', 'enterprise_size'], organisationRows, 50_000);
    log(`  ${name}: ${h.measurements.length.toLocaleString('en')} measurements (${organisationRows.length.toLocaleString('en')} organisations measured) written (${secondsSince(tm)} s)`);

    const ts = performance.now();
    const subjectTypes = items.map((i) => i.kind);
    const stateNames = h.STATES;
    const BATCH = 50_000;
    // Build the next batch while the server copies the previous one (at most two in flight).
    const inFlight = [];
    // Each item's last_status row is written once after the load, not upserted for every copied entry.
    await client.query('ALTER TABLE status_update DISABLE TRIGGER tr_status_update__last_status');
    for (let start = 0; start < h.rows; start += BATCH) {
      const end = Math.min(h.rows, start + BATCH);
      let text = '';
      for (let j = start; j < end; j += 1) {
        const r = h.order[j];
        const it = items[h.rowItem[r]];
        const author = h.authors[h.rowAuthor[r]];
        const comment = h.rowComment[r] < 0 ? '\\N' : h.comments[h.rowComment[r]];
        const state = h.rowState[r] < 0 ? '\\N' : stateNames[h.rowState[r]];
        text += `${subjectTypes[h.rowItem[r]]}\t${it.id}\t${it.cluster.id}\t${h.STATUSES[h.rowStatus[r]]}\t${state}\t${comment}\t${copyValue(author.name)}\t${author.keyId ?? '\\N'}\t${iso(h.rowTs[r])}\n`;
      }
      if (inFlight.length >= 2) await inFlight.shift();
      inFlight.push(copyFrom(client, `COPY status_update (subject_type, subject_id, cluster_id, status, state, comment, author, author_key_id, created_at) FROM STDIN`, [text]));
    }
    await Promise.all(inFlight);
    log(`  ${name}: ${h.rows.toLocaleString('en')} status updates written (${secondsSince(ts)} s)`);

    const ti = performance.now();
    await restore();
    log(`  ${name}: indexes and constraints rebuilt (${secondsSince(ti)} s)`);
    const { lastStatusBackfill } = await importDist('migrations/1796800000000-LastStatus.js');
    await client.query(lastStatusBackfill());
    await client.query('ALTER TABLE status_update ENABLE TRIGGER tr_status_update__last_status');

    // The revisions: what the Revisions migration makes of existing data (one per history entry, one per
    // measurement, one at the creation and archive of clusters and fundings), as the service would have written them.
    const tr = performance.now();
    const { revisionBackfill } = await importDist('migrations/1796200000000-Revisions.js');
    const restoreRevisions = await withoutIndexes(client, ['revision']);
    for (const statement of revisionBackfill()) await client.query(statement);
    await restoreRevisions();
    log(`  ${name}: revisions written and indexed (${secondsSince(tr)} s)`);
    const tv = performance.now();
    await client.query('VACUUM (ANALYZE)');
    log(`  ${name}: VACUUM ANALYZE (${secondsSince(tv)} s)`);

    const [{ rows: counts }, { rows: size }] = await Promise.all([
      client.query(`SELECT (SELECT count(*) FROM cluster)::int AS clusters, (SELECT count(*) FROM goal)::int AS goals,
              (SELECT count(*) FROM activity)::int AS activities, (SELECT count(*) FROM low_hanging_fruit)::int AS fruits,
              (SELECT count(*) FROM measurement)::int AS measurements, (SELECT count(*) FROM status_update)::int AS status_updates,
              (SELECT count(*) FROM revision)::int AS revisions,
              (SELECT count(*) FROM goal WHERE indicator_definition_id IS NOT NULL)::int AS adoptions,
              (SELECT count(*) FROM measurement_organisation)::int AS organisations_measured,
              (SELECT count(*) FROM funder)::int AS funders, (SELECT count(*) FROM funding)::int AS fundings,
              (SELECT min(created_at) FROM status_update) AS first_update, (SELECT max(created_at) FROM status_update) AS last_update`),
      client.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`),
    ]);
    return { url, counts: { ...counts[0], size: size[0].size }, seconds: Number(secondsSince(t0)) };
  } finally {
    await client.end();
  }
}

function sha256(secret) {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A secret as the app makes them (src/auth/api-key-secret.ts): `sty_` and 256 random bits, base64url. */
function newSecret() {
  return `sty_${randomBytes(32).toString('base64url')}`;
}

/** The last complete calendar quarter before an instant, as a report period (`2026-Q3`). */
function previousQuarter(ms) {
  const d = new Date(ms);
  let q = Math.floor(d.getUTCMonth() / 3); // current quarter, 0-based
  let y = d.getUTCFullYear();
  if (q === 0) {
    q = 4;
    y -= 1;
  }
  return `${y}-Q${q}`;
}

async function main() {
  const args = parseArgs();
  const scale = Number(args.scale ?? 1);
  const histories = String(args.history ?? '1,4').split(',').map(Number);
  const span = args.span ?? 'extend';
  const years = Number(args.years ?? 3);
  const seed = Number(args.seed ?? 20261127);
  if (!(scale > 0 && scale <= 10) || histories.some((x) => !(x >= 1 && x <= 10)) || !['extend', 'dense'].includes(span) || !(years > 0 && years <= 20)) {
    throw new Error('Usage: node bench/seed.mjs [--scale=0<s<=10] [--history=1,4] [--span=extend|dense] [--years=3] [--seed=N] [--dry-run]');
  }

  const nClusters = Math.max(2, Math.round(200 * scale));
  const bigFunderClusters = Math.min(nClusters, Math.max(1, Math.round(50 * scale)));
  const log = (m) => console.log(m);
  const tAll = performance.now();
  if (args['dry-run']) {
    // Generation only, in memory: how many rows and how long, without a database.
    for (const history of histories) {
      const t = performance.now();
      const structure = generateStructure({ seed, nClusters, bigFunderClusters });
      const h = generateHistory(structure, { seed, history, span, years, anchorMs: Math.floor(Date.now() / 1000) * 1000 });
      log(`history ×${history}: ${structure.items.length} items, ${h.rows} status updates, ${h.measurements.length} measurements generated in ${secondsSince(t)} s (dry run)`);
    }
    return;
  }
  requireDist();
  const server = await startDatabaseServer({ ephemeral: true, log });
  const stopServer = async () => server.stop();
  process.once('SIGINT', () => void stopServer().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopServer().then(() => process.exit(143)));
  try {
    // Keep the keys and the anchor of an earlier seed with the same shape, so that one size can be re-seeded alone.
    const previous = await readState();
    const compatible =
      previous &&
      previous.scale === scale &&
      previous.seed === seed &&
      previous.span === span &&
      previous.years === years &&
      previous.server?.mode === server.mode &&
      (server.mode === 'url' || previous.server?.dataDir === server.dataDir);
    const anchorMs = compatible ? Date.parse(previous.anchor) : Math.floor(Date.now() / 1000) * 1000;
    const keys = compatible
      ? previous.keys
      : { admin: newSecret(), funder: newSecret(), viewer: newSecret(), adminKeyId: new Rng(seed ^ 1).uuid(), funderKeyId: new Rng(seed ^ 2).uuid(), viewerKeyId: new Rng(seed ^ 3).uuid() };

    log(`Seeding ${nClusters} clusters, history ×${histories.join(', ×')} (span ${span}, ${years} years, seed ${seed}) on ${server.mode === 'url' ? 'DATABASE_URL' : `the embedded PostgreSQL in ${server.dataDir}`}`);
    const databases = compatible ? { ...previous.databases } : {};
    let structure;
    for (const history of histories) {
      structure = generateStructure({ seed, nClusters, bigFunderClusters }); // fresh objects: the history writes into them
      const name = `styrman_bench_${history}x`;
      log(`Database ${name}:`);
      const result = await seedDatabase({ serverUrl: server.serverUrl, name, structure, history, options: { seed, span, years, anchorMs }, keys, log });
      log(`  ${name}: done in ${result.seconds} s — ${JSON.stringify(result.counts)}`);
      databases[`${history}x`] = { name, history, counts: result.counts, seedSeconds: result.seconds };
    }

    const { clusters, funders, funded } = structure;
    const sampleRng = new Rng(seed ^ 0xbeef);
    const openActivities = clusters.flatMap((c) => c.activities.filter((a) => !a.archived && !a.archivedAt));
    const activities = [...openActivities].sort(() => sampleRng.float() - 0.5).slice(0, 2000).map((a) => a.id);
    const sampleCluster = clusters[0];
    const sampleActivity = sampleCluster.activities.find((a) => !a.archivedAt) ?? openActivities[0];
    const state = {
      generatedAt: new Date().toISOString(),
      anchor: new Date(anchorMs).toISOString(),
      scale,
      seed,
      span,
      years,
      server: { mode: server.mode, dataDir: server.dataDir, url: server.serverUrl },
      keys,
      ids: {
        cluster: sampleCluster.id,
        activity: sampleActivity.id,
        funder: funders[0].id,
        funderClusters: funded.get(funders[0].id).length,
        clusters: clusters.length,
        activities,
      },
      reportPeriod: previousQuarter(anchorMs),
      databases,
    };
    await writeState(state);
    log(`State written to bench/.state.json (report period ${state.reportPeriod}).`);
    log(`Generation took ${secondsSince(tAll)} s in all.`);
  } finally {
    await stopServer();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

import type { Phase } from '../clusters/cluster.entity.js';
import type { FunderKind, ReportingPeriod } from '../funders/funder.entity.js';
import type { Horizon, Perspective } from '../goals/goal.entity.js';

/**
 * The demo: initiatives, funders and plans from Reglab's programme "Att vara
 * styrman" (2012) and its home tasks. Dates are relative to the day the demo
 * is loaded, so the plan always looks alive.
 */
export interface DemoCluster {
  name: string;
  region: string;
  phase: Phase;
  focusArea: string;
  vision: string;
  purpose: string;
  publicBadge?: boolean;
  /** The home task from the programme, used as the comment of a status change. */
  homeTask: string;
  leader: string;
  /**
   * Why one of its ongoing activities is red today. Only these initiatives end with a red item (the rest
   * recovered from theirs), so that the demo's dashboard shows a believable spread: mostly green and yellow.
   */
  redReason?: string;
}

export const DEMO_CLUSTERS: DemoCluster[] = [
  {
    name: 'Findit',
    region: 'Gävleborg',
    phase: 'mobilisation',
    focusArea: 'Digital services for the process industry',
    vision: 'Gävleborg is where industry finds its digital services.',
    purpose: 'Bring IT firms, industry and Högskolan i Gävle together around joint development projects.',
    publicBadge: true,
    homeTask: 'Start working with yellow, green and red markings.',
    leader: 'Karin Ek, process leader Findit',
  },
  {
    name: 'Kalmar Science Park cluster',
    region: 'Kalmar',
    phase: 'formation',
    focusArea: 'Sustainable food and packaging',
    vision: 'The region’s firms grow together with the university.',
    purpose: 'A meeting place and development environment for growing firms in Kalmar län.',
    homeTask: 'Make an operating plan for the cluster and for myself.',
    leader: 'Johan Berg, Kalmar SP',
  },
  {
    name: 'CleanTech Östergötland',
    region: 'Östergötland',
    phase: 'organisation',
    focusArea: 'Environmental technology',
    vision: 'Östergötland is a leading region in environmental technology.',
    purpose: 'Strengthen the member firms’ competitiveness and the region’s attractiveness.',
    homeTask: 'Get going with member surveys; stop being the project manager.',
    leader: 'Lena Holm, CleanTech',
  },
  {
    name: 'HNV',
    region: 'Gävleborg',
    phase: 'initiation',
    focusArea: 'Wood and engineering industry in Hälsingland',
    vision: 'A living industry in Hälsingland.',
    purpose: 'Find the firms of the inner and outer core and what they can do together.',
    homeTask: 'Look at firms in the inner and outer core; do the stakeholder analysis.',
    leader: 'Per Olsson, HNV',
  },
  {
    name: 'IGIS',
    region: 'Gävleborg',
    phase: 'formation',
    focusArea: 'Industrial IT and information systems',
    vision: 'Sustainable clusters built on shared knowledge.',
    purpose: 'Prepare the call Hållbara Kluster together with firms and academia.',
    homeTask: 'Sort out the call Hållbara Kluster.',
    leader: 'Sara Nilsson, IGIS',
    redReason: 'The key person at the university has left; we need a new contact.',
  },
  {
    name: 'Automation Region',
    region: 'Västmanland',
    phase: 'organisation',
    focusArea: 'Industrial automation',
    vision: 'Sweden’s most attractive region for automation.',
    purpose: 'Steer four large projects so that they deliver to the member firms.',
    homeTask: 'Four large projects to steer: how to set them up in practice.',
    leader: 'Anders Lund, Automation Region',
    redReason: 'Lack of resources: the co-financing from the municipality is not decided.',
  },
  {
    name: 'Hudiksvall industry cluster',
    region: 'Gävleborg',
    phase: 'initiation',
    focusArea: 'Manufacturing in Hudiksvall',
    vision: 'Firms that lead their own development.',
    purpose: 'Let the firms convene, not the cluster leader; form vision, purpose and goals.',
    homeTask: 'Form vision, purpose and goals in the coming two weeks.',
    leader: 'Maria Sjöberg, Hudiksvall',
  },
  {
    name: 'Framtidens Bioraffinaderi',
    region: 'Västernorrland',
    phase: 'organisation',
    focusArea: 'Biorefinery',
    vision: 'The world-leading environment for biorefinery.',
    purpose: 'Turn forest raw material into new products, together with Örnsköldsvik’s industry.',
    publicBadge: true,
    homeTask: 'What can go wrong and why, and how to handle it.',
    leader: 'Erik Strand, Framtidens Bioraffinaderi',
  },
  {
    name: 'Smart Textiles',
    region: 'Västra Götaland',
    phase: 'organisation',
    focusArea: 'Textile innovation',
    vision: 'Borås renews the textile industry.',
    purpose: 'Research, firms and design school develop smart textiles together.',
    homeTask: 'Share resources with other clusters and actors in the region.',
    leader: 'Ida Wallin, Smart Textiles',
  },
];

export interface DemoFunder {
  name: string;
  kind: FunderKind;
  reportingPeriod: ReportingPeriod;
  /** Clusters it funds: name, programme, amount (SEK), years from and to relative to this year. */
  fundings: { cluster: string; programme: string; amount: string; fromYear: number; toYear: number }[];
}

export const DEMO_FUNDERS: DemoFunder[] = [
  {
    name: 'Vinnova',
    kind: 'national_agency',
    reportingPeriod: 'half_yearly',
    fundings: [
      { cluster: 'Findit', programme: 'Vinnväxt', amount: '2000000.00', fromYear: -1, toYear: 2 },
      { cluster: 'Framtidens Bioraffinaderi', programme: 'Vinnväxt', amount: '10000000.00', fromYear: -3, toYear: 1 },
      { cluster: 'Smart Textiles', programme: 'Vinnväxt', amount: '8500000.00', fromYear: -2, toYear: 1 },
      { cluster: 'Automation Region', programme: 'Utmaningsdriven innovation', amount: '4250000.50', fromYear: -1, toYear: 1 },
    ],
  },
  {
    name: 'RF Gävleborg',
    kind: 'regional_council',
    reportingPeriod: 'quarterly',
    fundings: [
      { cluster: 'Findit', programme: 'Regional tillväxt', amount: '600000.00', fromYear: -1, toYear: 1 },
      { cluster: 'HNV', programme: 'Regional tillväxt', amount: '350000.00', fromYear: 0, toYear: 1 },
      { cluster: 'IGIS', programme: 'Regional tillväxt', amount: '400000.00', fromYear: -1, toYear: 0 },
      { cluster: 'Hudiksvall industry cluster', programme: 'Klusterstöd', amount: '250000.00', fromYear: 0, toYear: 1 },
    ],
  },
  {
    name: 'RF Sörmland',
    kind: 'regional_council',
    reportingPeriod: 'yearly',
    fundings: [{ cluster: 'CleanTech Östergötland', programme: 'Östra Mellansverige', amount: '500000.00', fromYear: -1, toYear: 1 }],
  },
  {
    name: 'Landstinget Västernorrland',
    kind: 'county_council',
    reportingPeriod: 'yearly',
    fundings: [
      { cluster: 'Framtidens Bioraffinaderi', programme: 'Regionala utvecklingsmedel', amount: '1500000.00', fromYear: -2, toYear: 1 },
    ],
  },
  {
    name: 'Regionalfonden',
    kind: 'eu_fund',
    reportingPeriod: 'yearly',
    fundings: [
      {
        cluster: 'Kalmar Science Park cluster',
        programme: 'Europeiska regionala utvecklingsfonden',
        amount: '3000000.00',
        fromYear: -1,
        toYear: 2,
      },
    ],
  },
];

export interface DemoGoal {
  key: string;
  title: string;
  horizon: Horizon;
  perspective: Perspective;
  contributesTo?: string;
  /** `decimals`: digits after the point in measurements (0 by default: units that count things). */
  indicator?: { unit: string; baseline: number; target: number; /** share of the way reached by now */ reached: number; decimals?: number };
  /** Months from now. */
  dueInMonths?: number;
  /** Its first status change carries the cluster's home task from the programme. */
  homeTask?: boolean;
}

export const DEMO_GOALS: DemoGoal[] = [
  {
    key: 'jobs',
    title: 'Employment in the sector +10 % by 2030',
    horizon: 'long_term',
    perspective: 'public_sector',
    indicator: { unit: 'employees', baseline: 1200, target: 1320, reached: 0.35 },
    dueInMonths: 48,
  },
  {
    key: 'research',
    title: 'A strong research environment that attracts researchers and students',
    horizon: 'long_term',
    perspective: 'academia',
    dueInMonths: 60,
  },
  {
    key: 'mobilise',
    title: 'Mobilise key persons and actors',
    horizon: 'short_term',
    perspective: 'business',
    contributesTo: 'jobs',
    indicator: { unit: 'key persons engaged', baseline: 5, target: 25, reached: 0.6 },
    dueInMonths: 6,
  },
  {
    key: 'vision',
    title: 'Formulate the vision with the firms',
    horizon: 'short_term',
    perspective: 'business',
    contributesTo: 'jobs',
    dueInMonths: 2,
  },
  {
    key: 'survey',
    title: 'Member surveys started',
    horizon: 'short_term',
    perspective: 'business',
    contributesTo: 'jobs',
    indicator: { unit: 'answers', baseline: 0, target: 40, reached: 0.45 },
    dueInMonths: 4,
  },
  {
    key: 'plan',
    title: 'An operating plan for the cluster',
    horizon: 'short_term',
    perspective: 'public_sector',
    contributesTo: 'jobs',
    dueInMonths: 3,
    homeTask: true,
  },
  {
    key: 'core',
    title: 'Stakeholder analysis of the inner and outer core',
    horizon: 'short_term',
    perspective: 'academia',
    contributesTo: 'research',
    indicator: { unit: 'firms mapped', baseline: 0, target: 60, reached: 0.7 },
    dueInMonths: 5,
  },
  {
    key: 'lead',
    title: 'Days from first contact to a joint project',
    horizon: 'short_term',
    perspective: 'business',
    contributesTo: 'jobs',
    indicator: { unit: 'days', baseline: 120, target: 45, reached: 0.4 },
    dueInMonths: 12,
  },
  {
    key: 'export',
    title: 'More member firms export',
    horizon: 'long_term',
    perspective: 'business',
    indicator: { unit: '% of member firms exporting', baseline: 18.5, target: 30, reached: 0.3, decimals: 1 },
    dueInMonths: 36,
  },
];

export interface DemoActivity {
  title: string;
  goal: string;
  owner: string;
  /** Days from now. */
  startIn: number;
  dueIn: number;
  /** Where it ends up, by the demo's story. */
  state: 'planned' | 'ongoing' | 'done' | 'cancelled';
}

export const DEMO_ACTIVITIES: DemoActivity[] = [
  { title: 'Member survey', goal: 'survey', owner: 'Analyst', startIn: -120, dueIn: -20, state: 'done' },
  { title: 'Study visit to The Paper Province', goal: 'research', owner: 'Process leader', startIn: -60, dueIn: -10, state: 'ongoing' },
  { title: 'Matchmaking event for member firms', goal: 'mobilise', owner: 'Business developer', startIn: -30, dueIn: 25, state: 'ongoing' },
  { title: 'Application to Vinnova', goal: 'jobs', owner: 'Process leader', startIn: -45, dueIn: -3, state: 'planned' },
  { title: 'Board workshop on the vision', goal: 'vision', owner: 'Chair of the board', startIn: -90, dueIn: -40, state: 'done' },
  { title: 'Interviews with firms of the outer core', goal: 'core', owner: 'Analyst', startIn: 10, dueIn: 70, state: 'planned' },
];

export interface DemoFruit {
  what: string;
  how: string;
  goal: string;
  whenIn: number;
  state: 'planned' | 'ongoing' | 'done' | 'cancelled';
}

export const DEMO_FRUITS: DemoFruit[] = [
  {
    what: 'Joint stand at the regional industry fair',
    how: 'Book a shared stand; three member firms staff it.',
    goal: 'mobilise',
    whenIn: -50,
    state: 'done',
  },
  {
    what: 'Monthly newsletter to the member firms',
    how: 'Two pages: news, events, one firm in focus.',
    goal: 'survey',
    whenIn: -5,
    state: 'ongoing',
  },
  {
    what: 'Breakfast meeting with the municipality',
    how: 'Invite the business office and five firms.',
    goal: 'plan',
    whenIn: 15,
    state: 'planned',
  },
];

/** What people write when a light changes, by colour. */
export const DEMO_COMMENTS = {
  green: [
    'Back on track after the board meeting.',
    'Firms are engaged; the working group meets every month.',
    'Funding confirmed for the next period.',
    'The steering group agreed on the next steps.',
  ],
  yellow: [
    'Two key firms have not yet signed up; meeting them next month.',
    'The process leader is on leave; the plan slips a few weeks.',
    'Weak consensus in the board on the priorities.',
    'Fewer answers than hoped; sending a reminder.',
  ],
  red: [
    'Lack of resources: the co-financing from the municipality is not decided.',
    'The key person at the university has left; we need a new contact.',
    'No venue available; the date must be moved.',
    'Funders want results faster than the firms can deliver.',
  ],
} as const;

/** What people write when an item's state changes, by the light at that moment. */
export const DEMO_STATE_COMMENTS = {
  ongoing: { green: 'Started as planned.', yellow: 'Started, later than planned.', red: 'Started, with too few people.' },
  done: {
    green: 'Delivered as planned.',
    yellow: 'Delivered, later and smaller than planned.',
    red: 'Delivered in part; the rest moves to next year.',
  },
  cancelled: {
    green: 'Cancelled: the firms chose another way to reach the goal.',
    yellow: 'Cancelled: not enough firms signed up.',
    red: 'Cancelled: the co-financing did not come.',
  },
} as const;

export interface DemoPlan {
  goals: DemoGoal[];
  activities: DemoActivity[];
  fruits: DemoFruit[];
}

/** The plan of an initiative in its first phases: mobilise, survey, find the core. */
export const DEFAULT_PLAN: DemoPlan = { goals: DEMO_GOALS, activities: DEMO_ACTIVITIES, fruits: DEMO_FRUITS };

/** Initiatives with plans of their own (the Vinnova-funded ones, further on than the others). */
export const DEMO_PLANS: Record<string, DemoPlan> = {
  'Framtidens Bioraffinaderi': {
    goals: [
      {
        key: 'products',
        title: 'New bio-based products from forest raw material on the market',
        horizon: 'long_term',
        perspective: 'business',
        indicator: { unit: 'products launched', baseline: 3, target: 12, reached: 0.4 },
        dueInMonths: 48,
      },
      {
        key: 'jobs',
        title: 'Jobs in the biorefinery industry of Örnsköldsvik',
        horizon: 'long_term',
        perspective: 'public_sector',
        indicator: { unit: 'employees', baseline: 850, target: 1000, reached: 0.3 },
        dueInMonths: 60,
      },
      {
        key: 'demo',
        title: 'Firms run trials in the demonstration plant',
        horizon: 'short_term',
        perspective: 'business',
        contributesTo: 'products',
        indicator: { unit: 'trials run', baseline: 0, target: 24, reached: 0.55 },
        dueInMonths: 10,
      },
      {
        key: 'risks',
        title: 'A risk analysis: what can go wrong, why, and how to handle it',
        horizon: 'short_term',
        perspective: 'public_sector',
        contributesTo: 'jobs',
        dueInMonths: 2,
        homeTask: true,
      },
      {
        key: 'research',
        title: 'Joint research projects with Umeå University and SLU',
        horizon: 'short_term',
        perspective: 'academia',
        contributesTo: 'products',
        indicator: { unit: 'joint projects', baseline: 2, target: 8, reached: 0.5 },
        dueInMonths: 14,
      },
    ],
    activities: [
      {
        title: 'Trial run in the demonstration plant with a chemicals firm',
        goal: 'demo',
        owner: 'Plant manager',
        startIn: -150,
        dueIn: -60,
        state: 'done',
      },
      { title: 'Risk workshop with the board', goal: 'risks', owner: 'Process leader', startIn: -40, dueIn: -12, state: 'done' },
      {
        title: 'Application for the next Vinnväxt stage',
        goal: 'jobs',
        owner: 'Process leader',
        startIn: -70,
        dueIn: -5,
        state: 'ongoing',
      },
      {
        title: 'Doctoral project on lignin-based materials',
        goal: 'research',
        owner: 'Research coordinator',
        startIn: -200,
        dueIn: 300,
        state: 'ongoing',
      },
      {
        title: 'Trade mission to the Finnish bioeconomy clusters',
        goal: 'products',
        owner: 'Business developer',
        startIn: 20,
        dueIn: 45,
        state: 'planned',
      },
      { title: 'Seminar series for forest owners', goal: 'jobs', owner: 'Communicator', startIn: -100, dueIn: -30, state: 'cancelled' },
    ],
    fruits: [
      {
        what: 'Open day at the demonstration plant',
        how: 'Invite the municipality, schools and the press.',
        goal: 'demo',
        whenIn: -80,
        state: 'done',
      },
      {
        what: 'A shared list of test-bed equipment',
        how: 'One page per machine, on the website.',
        goal: 'demo',
        whenIn: 10,
        state: 'planned',
      },
    ],
  },
  'Smart Textiles': {
    goals: [
      {
        key: 'renewal',
        title: 'A renewed textile industry in Sjuhärad',
        horizon: 'long_term',
        perspective: 'business',
        indicator: { unit: 'firms with new textile products', baseline: 10, target: 40, reached: 0.45 },
        dueInMonths: 48,
      },
      {
        key: 'attract',
        title: 'Researchers and students choose Borås for textiles',
        horizon: 'long_term',
        perspective: 'academia',
        indicator: { unit: 'students in textile programmes', baseline: 600, target: 800, reached: 0.3 },
        dueInMonths: 60,
      },
      {
        key: 'lab',
        title: 'Firms use the Prototype lab',
        horizon: 'short_term',
        perspective: 'business',
        contributesTo: 'renewal',
        indicator: { unit: 'prototypes made', baseline: 0, target: 50, reached: 0.6 },
        dueInMonths: 9,
      },
      {
        key: 'share',
        title: 'Share resources with other clusters and actors in the region',
        horizon: 'short_term',
        perspective: 'public_sector',
        contributesTo: 'renewal',
        dueInMonths: 4,
        homeTask: true,
      },
      {
        key: 'design',
        title: 'Design students work on the firms’ briefs',
        horizon: 'short_term',
        perspective: 'academia',
        contributesTo: 'attract',
        indicator: { unit: 'student projects', baseline: 0, target: 20, reached: 0.5 },
        dueInMonths: 8,
      },
    ],
    activities: [
      {
        title: 'Prototype lab open to member firms two days a week',
        goal: 'lab',
        owner: 'Lab manager',
        startIn: -180,
        dueIn: -90,
        state: 'done',
      },
      {
        title: 'Sensor textiles project with the packaging cluster',
        goal: 'share',
        owner: 'Process leader',
        startIn: -60,
        dueIn: 40,
        state: 'ongoing',
      },
      {
        title: 'Agreement with Högskolan i Borås on shared lab time',
        goal: 'share',
        owner: 'Chair of the board',
        startIn: -50,
        dueIn: -7,
        state: 'planned',
      },
      {
        title: 'Design competition: textiles for health care',
        goal: 'design',
        owner: 'Design coordinator',
        startIn: -120,
        dueIn: -35,
        state: 'done',
      },
      { title: 'Stand at Techtextil', goal: 'renewal', owner: 'Business developer', startIn: 30, dueIn: 60, state: 'planned' },
    ],
    fruits: [
      {
        what: 'Lab open house for small firms',
        how: 'Show three machines; offer a free first test.',
        goal: 'lab',
        whenIn: -40,
        state: 'done',
      },
      {
        what: 'Shared calendar of lab bookings',
        how: 'Online, visible to every member firm.',
        goal: 'share',
        whenIn: -10,
        state: 'ongoing',
      },
      {
        what: 'A newsletter with the region’s other clusters',
        how: 'One joint issue a quarter.',
        goal: 'share',
        whenIn: 30,
        state: 'planned',
      },
    ],
  },
  'Automation Region': {
    goals: [
      {
        key: 'competitiveness',
        title: 'Member firms among the most automated in Europe',
        horizon: 'long_term',
        perspective: 'business',
        indicator: { unit: 'firms that automated a production line', baseline: 20, target: 60, reached: 0.4 },
        dueInMonths: 48,
      },
      {
        key: 'skills',
        title: 'Enough automation engineers for the region’s industry',
        horizon: 'long_term',
        perspective: 'public_sector',
        indicator: { unit: 'graduates a year', baseline: 40, target: 90, reached: 0.35 },
        dueInMonths: 60,
      },
      {
        key: 'projects',
        title: 'Four large projects steered with one model',
        horizon: 'short_term',
        perspective: 'business',
        contributesTo: 'competitiveness',
        indicator: { unit: 'projects reporting monthly', baseline: 0, target: 4, reached: 0.75 },
        dueInMonths: 6,
        homeTask: true,
      },
      {
        key: 'smes',
        title: 'Small firms try automation for the first time',
        horizon: 'short_term',
        perspective: 'business',
        contributesTo: 'competitiveness',
        indicator: { unit: 'pilots at small firms', baseline: 0, target: 30, reached: 0.5 },
        dueInMonths: 12,
      },
      {
        key: 'school',
        title: 'Automation courses with Mälardalen University',
        horizon: 'short_term',
        perspective: 'academia',
        contributesTo: 'skills',
        indicator: { unit: 'course places', baseline: 20, target: 80, reached: 0.4 },
        dueInMonths: 18,
      },
    ],
    activities: [
      {
        title: 'A steering group for the four projects',
        goal: 'projects',
        owner: 'Process leader',
        startIn: -160,
        dueIn: -120,
        state: 'done',
      },
      {
        title: 'Monthly project reports in one template',
        goal: 'projects',
        owner: 'Project office',
        startIn: -110,
        dueIn: -60,
        state: 'done',
      },
      { title: 'Robot pilots at five small firms', goal: 'smes', owner: 'Automation engineer', startIn: -90, dueIn: 30, state: 'ongoing' },
      {
        title: 'Application for an industrial PhD programme',
        goal: 'school',
        owner: 'Research coordinator',
        startIn: -80,
        dueIn: -14,
        state: 'ongoing',
      },
      {
        title: 'Summer school for upper-secondary students',
        goal: 'skills',
        owner: 'Communicator',
        startIn: 45,
        dueIn: 80,
        state: 'planned',
      },
      {
        title: 'Study visit to a German automation cluster',
        goal: 'competitiveness',
        owner: 'Business developer',
        startIn: -30,
        dueIn: -2,
        state: 'cancelled',
      },
    ],
    fruits: [
      {
        what: 'A robot demo van at member firms',
        how: 'Book a day; a robot and an engineer visit.',
        goal: 'smes',
        whenIn: -60,
        state: 'done',
      },
      {
        what: 'One page of traffic lights per project for the board',
        how: 'Every month, before the board meeting.',
        goal: 'projects',
        whenIn: -20,
        state: 'done',
      },
    ],
  },
};

/** The plan a demo cluster gets. */
export function demoPlanOf(cluster: string): DemoPlan {
  return DEMO_PLANS[cluster] ?? DEFAULT_PLAN;
}

/**
 * Findit's narrative of its last ended half-year (its lägesrapport to Vinnova, which asks half-yearly), in Swedish
 * as the cluster writes it; written some weeks after the half-year ended.
 */
export const FINDIT_NARRATIVE = {
  summary:
    'Findit har under halvåret gått från idé till ett arbetande kluster: styrgruppen med IT-företag, processindustri och ' +
    'Högskolan i Gävle träffas varje månad, och vi har börjat arbeta med gula, gröna och röda markeringar i handlingsplanen ' +
    '(vår hemuppgift från programmet Att vara styrman).',
  results:
    'Nyckelpersoner från femton företag är engagerade. Medlemsenkäten är igång och de första svaren visar att företagen vill ha ' +
    'gemensamma utvecklingsprojekt kring digitala tjänster för processindustrin. Två projektidéer har tagits vidare till ansökan.',
  deviations:
    'Visionsarbetet tog längre tid än planerat: företagen ville formulera visionen själva, och workshopen flyttades en månad. ' +
    'Intressentanalysen av den yttre kärnan är inte klar; den är gul med en ny plan.',
  nextSteps:
    'Under nästa halvår: slutföra intressentanalysen av inre och yttre kärna, anta verksamhetsplanen i styrgruppen och starta ' +
    'det första gemensamma projektet med Högskolan i Gävle.',
};

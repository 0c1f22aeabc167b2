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
  indicator?: { unit: string; baseline: number; target: number; /** share of the way reached by now */ reached: number };
  /** Months from now. */
  dueInMonths?: number;
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
    'Delivered as planned.',
    'Funding confirmed for the next period.',
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

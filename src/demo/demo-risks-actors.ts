import type { ActorCore, ActorKind, Engagement } from '../actors/actor.entity.js';

/**
 * The risk register of the demo: why cluster initiatives fail, as the
 * programme lists them (Ketels, Lindqvist and Sölvell 2008: lack of
 * consensus, a weak regional context, a process leader without strong
 * networks, a lack of resources, weak branding), each with a cause and a
 * response an initiative would write.
 */
export interface DemoRisk {
  title: string;
  cause: string;
  response: string;
  likelihood: number;
  impact: number;
  owner: string;
}

export const DEMO_RISKS: DemoRisk[] = [
  {
    title: 'No consensus on what the cluster is for',
    cause: 'The firms of the inner core want different things: some a sales channel, some research money.',
    response: 'Formulate the vision together in a workshop with the inner core; write down what we will not do.',
    likelihood: 3,
    impact: 5,
    owner: 'Chair of the steering group',
  },
  {
    title: 'The regional context is too weak to carry the initiative',
    cause: 'Few firms in the region share the focus area, and the region has other priorities.',
    response: 'Tie the cluster to the regional innovation strategy; bring in firms from the neighbouring region.',
    likelihood: 2,
    impact: 4,
    owner: 'Process leader',
  },
  {
    title: 'The process leader lacks strong networks',
    cause: 'A new process leader, recruited from outside the industry.',
    response: 'Introduce the process leader to every firm of the inner core with a board member in the first quarter.',
    likelihood: 3,
    impact: 4,
    owner: 'Chair of the steering group',
  },
  {
    title: 'Not enough people, premises or budget',
    cause: 'Co-financing from the firms is not yet signed; the project budget covers one person.',
    response: 'Membership fees from the second year; shared office at the science park; apply to the regional fund.',
    likelihood: 4,
    impact: 4,
    owner: 'Process leader',
  },
  {
    title: 'Nobody outside the cluster knows it exists',
    cause: 'No brand, no web site, no common story to tell investors and students.',
    response: 'One name and one story; a joint stand at the regional industry fair; a student day each spring.',
    likelihood: 3,
    impact: 3,
    owner: 'Communications officer',
  },
  {
    title: 'The key firms lose interest before the first results',
    cause: 'The first year goes to meetings and analyses; the firms see no return on their time.',
    response: 'One low-hanging fruit every quarter, reported back to the firms that made it possible.',
    likelihood: 3,
    impact: 5,
    owner: 'Process leader',
  },
];

export interface DemoActor {
  name: string;
  kind: ActorKind;
  core: ActorCore;
  role: string;
}

/** The public bodies, universities and associations around the demo's regions (organisations only, no persons). */
const REGION_ACTORS: Record<string, DemoActor[]> = {
  Gävleborg: [
    { name: 'Region Gävleborg', kind: 'public_sector', core: 'outer', role: 'Regional development; co-finances the process leader.' },
    { name: 'Högskolan i Gävle', kind: 'academia', core: 'inner', role: 'Research partner; student projects and theses.' },
    { name: 'Gävle kommun', kind: 'public_sector', core: 'outer', role: 'Business development office; premises.' },
    { name: 'Almi Gävleborg', kind: 'public_sector', core: 'outer', role: 'Loans and advice for member firms.' },
    { name: 'Företagarna Gävleborg', kind: 'civil_society', core: 'outer', role: 'Reaches the small firms of the region.' },
  ],
  Kalmar: [
    { name: 'Region Kalmar län', kind: 'public_sector', core: 'outer', role: 'Regional development.' },
    { name: 'Linnéuniversitetet', kind: 'academia', core: 'inner', role: 'Research partner.' },
    { name: 'Kalmar kommun', kind: 'public_sector', core: 'outer', role: 'Business development office.' },
    { name: 'Almi Kalmar', kind: 'public_sector', core: 'outer', role: 'Loans and advice.' },
  ],
  Östergötland: [
    { name: 'Region Östergötland', kind: 'public_sector', core: 'outer', role: 'Regional development.' },
    { name: 'Linköpings universitet', kind: 'academia', core: 'inner', role: 'Research partner; test beds.' },
    { name: 'Norrköpings kommun', kind: 'public_sector', core: 'outer', role: 'Municipal energy and waste operations.' },
    { name: 'Energikontoret Östra Götaland', kind: 'civil_society', core: 'outer', role: 'Energy advice for firms.' },
  ],
  Västmanland: [
    { name: 'Region Västmanland', kind: 'public_sector', core: 'outer', role: 'Regional development.' },
    { name: 'Mälardalens universitet', kind: 'academia', core: 'inner', role: 'Research in automation and robotics.' },
    { name: 'Västerås stad', kind: 'public_sector', core: 'outer', role: 'Business development office.' },
    { name: 'Teknikföretagen Mälardalen', kind: 'civil_society', core: 'outer', role: 'The engineering industry’s association.' },
  ],
  Västernorrland: [
    { name: 'Region Västernorrland', kind: 'public_sector', core: 'outer', role: 'Regional development; co-funder.' },
    { name: 'Mittuniversitetet', kind: 'academia', core: 'inner', role: 'Research in forest-based chemistry.' },
    { name: 'Umeå universitet', kind: 'academia', core: 'outer', role: 'Research partner in biorefining.' },
    { name: 'Örnsköldsviks kommun', kind: 'public_sector', core: 'outer', role: 'Business development office.' },
  ],
  'Västra Götaland': [
    { name: 'Västra Götalandsregionen', kind: 'public_sector', core: 'outer', role: 'Regional development; co-funder.' },
    { name: 'Högskolan i Borås', kind: 'academia', core: 'inner', role: 'The Swedish School of Textiles.' },
    { name: 'Borås Stad', kind: 'public_sector', core: 'outer', role: 'Business development office.' },
    { name: 'RISE', kind: 'academia', core: 'outer', role: 'Applied research institute; test beds.' },
  ],
};

/** The firms around each demo initiative (names made for the demo, not real firms). */
const CLUSTER_FIRMS: Record<string, string[]> = {
  Findit: [
    'Norrdata',
    'Gävle Mjukvaruhus',
    'Sandviken Systems',
    'Hälsinge IT',
    'Bergslagens Digitalbyrå',
    'Storsjö Analys',
    'Testlabbet Gävle',
  ],
  'Kalmar Science Park cluster': ['Kalmarsund Tech', 'Ölands Livsmedel', 'Smålandskusten Design', 'Nybro Glasteknik', 'Kalmar Marin'],
  'CleanTech Östergötland': [
    'Östgöta Biogas',
    'Motala Vattenteknik',
    'Linköping Solenergi',
    'Norrköping Återvinning',
    'Vadstena Miljö',
    'Söderköping Energi',
  ],
  HNV: ['Hälsinge Trähus', 'Söderhamns Snickeri', 'Bollnäs Byggträ', 'Ljusdals Limträ', 'Hudiksvalls Timmer'],
  IGIS: ['Gävle Logistik', 'Norrlandskusten Hamn', 'Valbo Transport', 'Skutskär Terminal', 'Dalälvens Frakt'],
  'Automation Region': [
    'Mälardalens Robotteknik',
    'Västerås Styrsystem',
    'Köping Mekaniska',
    'Arboga Automation',
    'Sala Elektronik',
    'Fagersta Precision',
    'Hallstahammar Verktyg',
    'Mälaren Industri-IT',
  ],
  'Hudiksvall industry cluster': ['Hudik Plåt', 'Iggesunds Mekaniska', 'Delsbo Elektriska', 'Forsa Komponent', 'Njutånger Verkstad'],
  'Framtidens Bioraffinaderi': [
    'Domsjö Kemi',
    'Husum Massa',
    'Örnsköldsvik Biorefinery Pilot',
    'Höga Kusten Bioenergi',
    'Nolaskogs Fiber',
    'Bredbyn Träförädling',
  ],
  'Smart Textiles': [
    'Sjuhärads Väveri',
    'Borås Interaktiva Textil',
    'Ulricehamn Trikå',
    'Viskadalens Färgeri',
    'Marks Textil',
    'Tranemo Konfektion',
  ],
};

/** The actors of a demo initiative: the region's organisations, the firms around it, and an association. */
export function demoActorsOf(cluster: string, region: string): DemoActor[] {
  const firms = (CLUSTER_FIRMS[cluster] ?? []).map((name, i): DemoActor => ({
    name: `${name} AB`,
    kind: 'company',
    core: i < 3 ? 'inner' : 'outer',
    role: i < 3 ? 'Member firm; in the working group.' : 'Firm of the focus area; invited to the member survey.',
  }));
  return [
    ...(REGION_ACTORS[region] ?? []),
    ...firms,
    { name: `${cluster} members’ association`, kind: 'other', core: 'inner', role: 'The legal body of the initiative.' },
  ];
}

/** How far up the ladder an actor got over the year, by its core: the inner core further. */
export const ENGAGEMENT_LADDER: Engagement[] = ['identified', 'contacted', 'engaged', 'committed'];

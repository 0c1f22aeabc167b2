import type { DueMoment, Language } from './topics.js';
import { kindNames } from '../plan-item-kinds.js';

/** An email as written: its subject and body, in plain text and HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The parts every email is made of, whichever its topic. */
interface Message {
  language: Language;
  subject: string;
  heading: string;
  paragraphs: string[];
  /** Lines of a list (the digest's items). */
  items?: string[];
  /** A quoted comment (a funder's decision, a red status). */
  quote?: string;
  link?: { url: string; label: string };
  /** Why the reader gets this email; followed by the unsubscribe link (not in the confirmation). */
  footer: string;
  unsubscribeUrl?: string;
}

const MONTHS: Record<Language, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  sv: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
};

/** A calendar day as people write it: `30 Oct 2026`, `30 okt 2026`. */
export function formatDay(day: string, language: Language): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[language][m - 1]} ${y}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function render(m: Message): RenderedEmail {
  const unsubscribe = m.language === 'sv' ? 'Avsluta prenumerationen' : 'Unsubscribe';
  const text = [
    m.heading,
    '',
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...(m.quote ? [...m.quote.split('\n').map((l) => `> ${l}`), ''] : []),
    ...(m.items?.length ? [...m.items.map((i) => `- ${i}`), ''] : []),
    ...(m.link ? [`${m.link.label}: ${m.link.url}`, ''] : []),
    '-- ',
    m.footer,
    ...(m.unsubscribeUrl ? [`${unsubscribe}: ${m.unsubscribeUrl}`] : []),
    '',
  ].join('\n');
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html = `<!DOCTYPE html>
<html lang="${m.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(m.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1d2433">
<div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;border:1px solid #dde1e8">
<div style="font-size:13px;letter-spacing:0.05em;text-transform:uppercase;color:#5b6578;margin-bottom:8px">Styrman</div>
<h1 style="font-size:22px;line-height:1.3;margin:0 0 20px">${escapeHtml(m.heading)}</h1>
${m.paragraphs.map(p).join('\n')}
${m.quote ? `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #c9ced8;color:#3a4252;white-space:pre-wrap">${escapeHtml(m.quote)}</blockquote>` : ''}
${m.items?.length ? `<ul style="margin:0 0 16px;padding-left:20px">${m.items.map((i) => `<li style="margin-bottom:6px">${escapeHtml(i)}</li>`).join('')}</ul>` : ''}
${m.link ? `<p style="margin:24px 0"><a href="${escapeHtml(m.link.url)}" style="display:inline-block;background:#1f5fbf;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${escapeHtml(m.link.label)}</a></p>` : ''}
<hr style="border:none;border-top:1px solid #dde1e8;margin:24px 0 12px">
<p style="font-size:12px;color:#5b6578;margin:0">${escapeHtml(m.footer)}${m.unsubscribeUrl ? ` <a href="${escapeHtml(m.unsubscribeUrl)}" style="color:#5b6578">${unsubscribe}</a>` : ''}</p>
</div>
</body>
</html>
`;
  return { subject: m.subject, text, html };
}

function footer(language: Language, topic: string): string {
  return language === 'sv'
    ? `Du får det här mejlet för att du prenumererar på ”${topic}” i Styrman.`
    : `You get this email because you subscribed to "${topic}" in Styrman.`;
}

const TOPIC_NAMES: Record<Language, Record<string, string>> = {
  en: {
    submission_due: 'reports due',
    submission_decided: 'decisions on reports',
    red_status: 'red statuses',
    weekly_digest: 'weekly digest',
  },
  sv: {
    submission_due: 'rapporter att lämna',
    submission_decided: 'beslut om rapporter',
    red_status: 'röda statusar',
    weekly_digest: 'veckosammanfattning',
  },
};

export function renderConfirmation(language: Language, input: { confirmUrl: string; topics: string[] }): RenderedEmail {
  const topics = input.topics.map((t) => TOPIC_NAMES[language][t] ?? t).join(', ');
  return language === 'sv'
    ? render({
        language,
        subject: 'Bekräfta din prenumeration på Styrmans mejl',
        heading: 'Bekräfta din prenumeration',
        paragraphs: [
          `Någon (förhoppningsvis du) bad Styrman skicka mejl till den här adressen om: ${topics}.`,
          'Inget mer skickas förrän du bekräftar. Har du inte bett om det kan du strunta i det här mejlet.',
        ],
        link: { url: input.confirmUrl, label: 'Bekräfta prenumerationen' },
        footer: 'Adressen används bara för de här mejlen och tas bort när prenumerationen tas bort.',
      })
    : render({
        language,
        subject: 'Confirm your subscription to Styrman emails',
        heading: 'Confirm your subscription',
        paragraphs: [
          `Someone (hopefully you) asked Styrman to email this address about: ${topics}.`,
          'Nothing else is sent until you confirm. If you did not ask for it, ignore this email.',
        ],
        link: { url: input.confirmUrl, label: 'Confirm the subscription' },
        footer: 'The address is used only for these emails and is removed when the subscription is removed.',
      });
}

export interface DueInput {
  clusterName: string;
  funderName: string;
  period: string;
  dueOn: string;
  moment: DueMoment;
  /** Days from the day the reminder is decided to dueOn (a reminder decided late says so). */
  daysLeft: number;
  /** The funder returned the report: a new one is due. */
  returned: boolean;
  reportUrl: string;
  unsubscribeUrl: string;
}

const svLeft = (n: number) => (n === 0 ? 'i dag' : n === 1 ? 'om 1 dag' : `om ${n} dagar`);
const enLeft = (n: number) => (n === 0 ? 'today' : n === 1 ? 'in 1 day' : `in ${n} days`);

export function renderSubmissionDue(language: Language, d: DueInput): RenderedEmail {
  const day = formatDay(d.dueOn, language);
  if (language === 'sv') {
    const when = d.moment === 'overdue' ? `skulle ha lämnats ${day} och är försenad` : `ska lämnas senast ${day} (${svLeft(d.daysLeft)})`;
    const subject =
      d.moment === 'overdue'
        ? `Försenad: ${d.clusterName}s rapport till ${d.funderName} för ${d.period} (skulle in ${day})`
        : `${d.clusterName}: rapport till ${d.funderName} för ${d.period} ska in ${day}, ${svLeft(d.daysLeft)}`;
    return render({
      language,
      subject,
      heading:
        d.moment === 'overdue'
          ? `${d.clusterName}: rapporten till ${d.funderName} för ${d.period} är försenad`
          : `${d.clusterName}: rapporten till ${d.funderName} för ${d.period} ska snart in`,
      paragraphs: [
        `${d.clusterName}s rapport till ${d.funderName} för perioden ${d.period} ${when}.`,
        d.returned
          ? `${d.funderName} skickade tillbaka den senast inlämnade rapporten: en ny behöver lämnas in.`
          : 'Ingen rapport är inlämnad för perioden än.',
        'Lämna in den i Styrman (POST /clusters/{clusterId}/report-submissions) när den är klar; då slutar påminnelserna.',
      ],
      link: { url: d.reportUrl, label: `Öppna rapporten för ${d.period}` },
      footer: footer(language, TOPIC_NAMES.sv.submission_due),
      unsubscribeUrl: d.unsubscribeUrl,
    });
  }
  const when = d.moment === 'overdue' ? `was due on ${day} and is overdue` : `is due on ${day} (${enLeft(d.daysLeft)})`;
  const subject =
    d.moment === 'overdue'
      ? `Overdue: ${d.clusterName}'s report to ${d.funderName} for ${d.period} (due ${day})`
      : `${d.clusterName}: report to ${d.funderName} for ${d.period} due ${day}, ${enLeft(d.daysLeft)}`;
  return render({
    language,
    subject,
    heading:
      d.moment === 'overdue'
        ? `${d.clusterName}: the report to ${d.funderName} for ${d.period} is overdue`
        : `${d.clusterName}: the report to ${d.funderName} for ${d.period} is due soon`,
    paragraphs: [
      `${d.clusterName}'s report to ${d.funderName} for the period ${d.period} ${when}.`,
      d.returned
        ? `${d.funderName} returned the report last submitted: a new one has to be submitted.`
        : 'No report has been submitted for the period yet.',
      'Submit it in Styrman (POST /clusters/{clusterId}/report-submissions) when it is ready; the reminders stop then.',
    ],
    link: { url: d.reportUrl, label: `Open the report for ${d.period}` },
    footer: footer(language, TOPIC_NAMES.en.submission_due),
    unsubscribeUrl: d.unsubscribeUrl,
  });
}

export interface DecidedInput {
  clusterName: string;
  funderName: string;
  period: string;
  decision: 'acknowledged' | 'returned';
  comment: string | null;
  url: string;
  unsubscribeUrl: string;
}

export function renderSubmissionDecided(language: Language, d: DecidedInput): RenderedEmail {
  if (language === 'sv') {
    const verb = d.decision === 'acknowledged' ? 'godkände' : 'skickade tillbaka';
    return render({
      language,
      subject: `${d.funderName} ${verb} ${d.clusterName}s rapport för ${d.period}`,
      heading: `${d.funderName} ${verb} rapporten för ${d.period}`,
      paragraphs: [
        `${d.funderName} ${verb} ${d.clusterName}s rapport för perioden ${d.period}.`,
        ...(d.decision === 'returned' ? ['En ny rapport behöver lämnas in för perioden.'] : []),
        ...(d.comment ? ['Kommentar:'] : []),
      ],
      quote: d.comment ?? undefined,
      link: { url: d.url, label: 'Öppna inlämningen' },
      footer: footer(language, TOPIC_NAMES.sv.submission_decided),
      unsubscribeUrl: d.unsubscribeUrl,
    });
  }
  const verb = d.decision === 'acknowledged' ? 'acknowledged' : 'returned';
  return render({
    language,
    subject: `${d.funderName} ${verb} ${d.clusterName}'s report for ${d.period}`,
    heading: `${d.funderName} ${verb} the report for ${d.period}`,
    paragraphs: [
      `${d.funderName} ${verb} ${d.clusterName}'s report for the period ${d.period}.`,
      ...(d.decision === 'returned' ? ['A new report has to be submitted for the period.'] : []),
      ...(d.comment ? ['Comment:'] : []),
    ],
    quote: d.comment ?? undefined,
    link: { url: d.url, label: 'Open the submission' },
    footer: footer(language, TOPIC_NAMES.en.submission_decided),
    unsubscribeUrl: d.unsubscribeUrl,
  });
}

export interface RedInput {
  clusterName: string;
  kind: string;
  title: string;
  comment: string | null;
  author: string;
  url: string;
  unsubscribeUrl: string;
}

/** Each kind of plan item as an email's sentence names it (`aktiviteten`). */
const KINDS: Record<Language, Record<string, string>> = { en: kindNames('en', 'the'), sv: kindNames('sv', 'the') };

export function renderRedStatus(language: Language, d: RedInput): RenderedEmail {
  const kind = KINDS[language][d.kind] ?? d.kind;
  if (language === 'sv') {
    return render({
      language,
      subject: `Rött i ${d.clusterName}: ${kind} ”${d.title}”`,
      heading: `${d.clusterName}: ${kind} ”${d.title}” är rött`,
      paragraphs: [`${d.author} satte status röd på ${kind} ”${d.title}” i ${d.clusterName}.`, ...(d.comment ? ['Kommentar:'] : [])],
      quote: d.comment ?? undefined,
      link: { url: d.url, label: 'Öppna i Styrman' },
      footer: footer(language, TOPIC_NAMES.sv.red_status),
      unsubscribeUrl: d.unsubscribeUrl,
    });
  }
  return render({
    language,
    subject: `Red in ${d.clusterName}: ${kind} "${d.title}"`,
    heading: `${d.clusterName}: ${kind} "${d.title}" turned red`,
    paragraphs: [`${d.author} set the ${kind} "${d.title}" in ${d.clusterName} to red.`, ...(d.comment ? ['Comment:'] : [])],
    quote: d.comment ?? undefined,
    link: { url: d.url, label: 'Open in Styrman' },
    footer: footer(language, TOPIC_NAMES.en.red_status),
    unsubscribeUrl: d.unsubscribeUrl,
  });
}

export interface DigestInput {
  clusterName: string;
  week: string;
  items: string[];
  url: string;
  unsubscribeUrl: string;
}

export function renderDigest(language: Language, d: DigestInput): RenderedEmail {
  if (language === 'sv') {
    return render({
      language,
      subject: `${d.clusterName}, vecka ${d.week}: ${d.items.length} ${d.items.length === 1 ? 'sak behöver' : 'saker behöver'} uppdateras`,
      heading: `${d.clusterName}: det här behöver uppdateras`,
      paragraphs: [
        'Mål, aktiviteter, frukter och risker som inte har fått en statusuppdatering i tid, som är försenade eller röda sedan länge:',
      ],
      items: d.items,
      link: { url: d.url, label: 'Öppna listan i Styrman' },
      footer: footer(language, TOPIC_NAMES.sv.weekly_digest),
      unsubscribeUrl: d.unsubscribeUrl,
    });
  }
  return render({
    language,
    subject: `${d.clusterName}, week ${d.week}: ${d.items.length} ${d.items.length === 1 ? 'item needs' : 'items need'} an update`,
    heading: `${d.clusterName}: what needs an update`,
    paragraphs: ['Goals, activities, fruits and risks without a status update in time, overdue, or red for long:'],
    items: d.items,
    link: { url: d.url, label: 'Open the list in Styrman' },
    footer: footer(language, TOPIC_NAMES.en.weekly_digest),
    unsubscribeUrl: d.unsubscribeUrl,
  });
}

/** A digest line: the item, why it needs an update, and its status. */
export function digestLine(
  language: Language,
  item: { kind: string; title: string; reasons: string[]; status: string | null; dueDate: string | null },
): string {
  const reasons: Record<Language, Record<string, string>> = {
    en: { stale: 'no recent status update', overdue: 'overdue', red_unchanged: 'red for over 14 days' },
    sv: { stale: 'ingen statusuppdatering på länge', overdue: 'försenad', red_unchanged: 'röd i mer än 14 dagar' },
  };
  const kind = KINDS[language][item.kind] ?? item.kind;
  const why = item.reasons.map((r) => reasons[language][r] ?? r).join(', ');
  const due = item.dueDate
    ? language === 'sv'
      ? `, slutdatum ${formatDay(item.dueDate, language)}`
      : `, due ${formatDay(item.dueDate, language)}`
    : '';
  return `${kind[0].toUpperCase()}${kind.slice(1)} "${item.title}": ${why}${due}`;
}

export const TOPICS = ['submission_due', 'submission_decided', 'red_status', 'weekly_digest'] as const;
export type Topic = (typeof TOPICS)[number];

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What an email is about: a topic, or the confirmation of a new subscription. */
export type EmailTopic = Topic | 'confirmation';

/** The moments of a due report: 14 days before `dueOn`, 3 days before, and the day after (overdue). */
export const DUE_MOMENTS = ['14d', '3d', 'overdue'] as const;
export type DueMoment = (typeof DUE_MOMENTS)[number];

/** The languages of the spreadsheet forms of a report (CSV and XLSX); JSON is always in codes. */
export const REPORT_LANGUAGES = ['en', 'sv'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

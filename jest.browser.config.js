/**
 * The browser test: Swagger UI in Debian's Chromium, the reports in
 * LibreOffice Calc with Swedish settings, and the funder workbook printed to
 * PDF (LibreOffice, poppler-utils), against the app started
 * as `npm start` starts it (embedded PostgreSQL, demo data). `npm run test:browser`.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  rootDir: 'dist',
  transform: {},
  moduleFileExtensions: ['js', 'json'],
  testTimeout: 180000,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.js'],
};

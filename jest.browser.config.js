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
  // One suite at a time: each starts its own app, and Chromium and LibreOffice side by side on a small CI machine
  // slowed the Swagger UI walk past its timeout.
  maxWorkers: 1,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.js'],
};

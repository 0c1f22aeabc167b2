/**
 * Jest runs the compiled JavaScript in dist/ (built by `nest build`, with the
 * @nestjs/swagger plugin), as native ES modules: NestJS 12 ships only ESM.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  rootDir: 'dist',
  transform: {},
  moduleFileExtensions: ['js', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 60000,
  testMatch: ['<rootDir>/src/**/*.spec.js', '<rootDir>/test/**/*.e2e-spec.js'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
};

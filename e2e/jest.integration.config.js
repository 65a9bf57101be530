module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'platform-e2e:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  globalSetup: '<rootDir>/../libs/testing/src/global-setup.js',
  testTimeout: 120000,
};

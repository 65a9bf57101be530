module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'intake:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  globalSetup: '<rootDir>/../../libs/testing/src/global-setup.js',
  testTimeout: 60000,
};

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'synthetic',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};

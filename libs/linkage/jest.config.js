module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'linkage',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};

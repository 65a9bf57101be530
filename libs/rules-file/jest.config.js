module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'rules-file',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};

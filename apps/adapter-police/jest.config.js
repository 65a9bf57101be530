module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'adapter-police',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};

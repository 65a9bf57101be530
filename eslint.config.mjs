// Lint for the whole workspace. Module boundaries are the architecture: an adapter
// may import only shared libs and the adapter SDK, never another adapter or a
// service's internals; services share only libs tagged scope:shared.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const sharedTypes = ['type:contracts', 'type:util', 'type:data-access'];
// Any project's tests may use the testing lib; shipped code may not (no-restricted-imports below).
const testing = 'type:testing';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/node_modules',
      '**/dist',
      '**/coverage',
      '.local/**',
      '.nx/**',
      'tmp/**',
      '**/generated/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: true,
          checkDynamicDependenciesExceptions: [],
          allow: [],
          depConstraints: [
            // Scope: who may talk to whom.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway'] },
            { sourceTag: 'scope:intake', onlyDependOnLibsWithTags: ['scope:shared', 'scope:intake'] },
            { sourceTag: 'scope:casework', onlyDependOnLibsWithTags: ['scope:shared', 'scope:casework'] },
            { sourceTag: 'scope:adapter-sdk', onlyDependOnLibsWithTags: ['scope:shared', 'scope:adapter-sdk'] },
            { sourceTag: 'scope:adapter', onlyDependOnLibsWithTags: ['scope:shared', 'scope:adapter-sdk'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway', 'scope:intake', 'scope:casework', 'scope:adapter-sdk'] },
            // Type: layering inside a scope.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', testing] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: [...sharedTypes, testing] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', testing] },
            { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: [...sharedTypes, 'type:domain', 'type:sdk', testing] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [...sharedTypes, testing] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: [...sharedTypes, 'type:domain', 'type:sdk', testing] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: [...sharedTypes, 'type:domain', 'type:sdk', testing] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: [...sharedTypes, testing] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: [...sharedTypes, 'type:domain', testing] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Test helpers stay out of shipped code.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/testing/**', 'libs/testing/**', 'bench/**', 'tools/**', 'e2e/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@weave/testing', message: 'test helpers are for *.spec.ts and *.integration-spec.ts only' }] }],
    },
  },
  {
    // Command-line tools print to the terminal on purpose.
    files: ['tools/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', '**/src/cli/**/*.ts', '**/*.cli.ts'],
    rules: { 'no-console': 'off' },
  },
  { ...tseslint.configs.disableTypeChecked, files: ['**/*.json'] },
];

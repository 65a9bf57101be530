// Runs TypeScript sources directly: SWC transpiles (keeping NestJS decorator metadata)
// and tsconfig path aliases (@weave/*) resolve to libs/. Load it first with
// `node -r ./tools/register.js`, then the telemetry register, then the entry point.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.base.json');
require('@swc-node/register');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });

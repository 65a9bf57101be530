/** Rewrites the README's configuration table and .env.example from libs/config. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envExample, readmeWithConfigTable, serviceConfigs } from '@weave/config';

const root = join(__dirname, '..');
const readmePath = join(root, 'README.md');
writeFileSync(readmePath, readmeWithConfigTable(readFileSync(readmePath, 'utf8'), serviceConfigs));
writeFileSync(join(root, '.env.example'), envExample(serviceConfigs));
console.log('updated README.md configuration table and .env.example');

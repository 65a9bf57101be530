export * from './env-var';
export * from './groups';
export * from './parsers';
export * from './services';
export { configTableMarkdown } from './config-table';
export { README_TABLE_BEGIN, README_TABLE_END, envExample, readmeWithConfigTable } from './config-docs';

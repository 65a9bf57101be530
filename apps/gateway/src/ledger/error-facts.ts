export { errorFacts, type ErrorFacts } from '@weave/runtime';

import { join } from 'node:path';

/** The gateway's SQL migrations (010_ledger.sql, 011_outbox.sql, …), for migrate() from @weave/runtime. */
export const GATEWAY_MIGRATIONS_DIR = join(__dirname, '../../migrations');

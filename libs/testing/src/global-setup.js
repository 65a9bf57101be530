// Jest globalSetup for *.integration-spec.ts: integration tests run against the real
// local stack (`npm run stack:up`), never a stand-in. Fails fast, naming what is down.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');

function loadStackEnv() {
  const file = path.join(root, '.local/stack.env');
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2].replace(/^['"]|['"]$/g, '');
  }
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 2000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

function hostPortOfUrl(url, defaultPort) {
  const u = new URL(url);
  return [u.hostname || '127.0.0.1', u.port || String(defaultPort)];
}

module.exports = async function globalSetup() {
  process.env.TZ = 'UTC';
  loadStackEnv();
  process.env.KAFKA_BROKERS = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
  process.env.DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/weave';
  process.env.REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const checks = [
    ['Kafka (KAFKA_BROKERS)', ...process.env.KAFKA_BROKERS.split(',')[0].split(':')],
    ['PostgreSQL (DATABASE_URL)', ...hostPortOfUrl(process.env.DATABASE_URL, 5432)],
    ['Redis (REDIS_URL)', ...hostPortOfUrl(process.env.REDIS_URL, 6379)],
  ];
  const down = [];
  for (const [name, host, port] of checks) {
    if (!(await reachable(host, port))) down.push(`${name} at ${host}:${port}`);
  }
  if (down.length > 0) {
    throw new Error(`integration tests need the local stack; not reachable: ${down.join(', ')}. Run: npm run stack:up`);
  }
};

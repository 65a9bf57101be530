import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errorFacts } from '@weave/runtime';
import type { DispatchDesk } from '../dispatch/dispatch-desk';
import type { IntakeMetrics } from '../processing/intake-metrics';
import type { IntakeProcessor } from '../processing/intake-processor';
import { parseNationalPlatformReport } from '../reports/intake-report';

const MAX_BODY_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * The intake centre's HTTP/JSON face:
 *   POST /v1/reports                          a report in the national online platform's shape
 *   POST /v1/dispatches/{id}/acknowledge      the receiving unit takes the dispatch (stops escalation)
 *   POST /v1/reports/{id}/override            a screener overrides category or light, with a typed reason
 *   GET  /v1/review-items                     linkage waiting for a screener (pseudonyms and scores only)
 *   GET  /metrics, GET /healthz
 * Responses never echo personal data; a rejected report is still stored raw with its reasons.
 */
export class IntakeHttpServer {
  private server: Server | undefined;

  constructor(
    private readonly listenAddr: string,
    private readonly processor: IntakeProcessor,
    private readonly desk: DispatchDesk,
    private readonly metrics: IntakeMetrics,
    private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const [host, port] = splitHostPort(this.listenAddr);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (err instanceof HttpError) return send(res, err.status, err.body);
        this.logger.error({ err: errorFacts(err), path: pathOf(req) }, 'intake http: request failed');
        send(res, 503, { error: 'unavailable', message: 'the report could not be stored; it was not accepted, send it again' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    this.logger.info({ address: typeof address === 'object' && address ? `${address.address}:${address.port}` : this.listenAddr }, 'intake http listening');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(this.metrics.render());
      return;
    }
    if (req.method === 'POST' && path === '/v1/reports') return this.postReport(req, res);
    let m = /^\/v1\/dispatches\/([0-9a-f-]{36})\/acknowledge$/.exec(path);
    if (req.method === 'POST' && m) {
      const body = (await readJson(req)) as { unitId?: unknown };
      if (typeof body?.unitId !== 'string' || body.unitId === '') throw new HttpError(422, { errors: [{ field: 'unitId', message: 'required' }] });
      const result = await this.desk.acknowledge(m[1] ?? '', body.unitId, new Date());
      if (result.kind === 'not-found') throw new HttpError(404, { error: 'not-found', message: 'no such dispatch' });
      if (result.kind === 'wrong-unit') throw new HttpError(403, { error: 'forbidden', message: 'the dispatch went to another unit' });
      if (result.kind !== 'ok') throw new HttpError(500, { error: 'internal' });
      return send(res, 200, { dispatchId: m[1], acknowledgedAt: result.acknowledgedAt.toISOString(), withinDeadline: result.withinDeadline });
    }
    m = /^\/v1\/reports\/([A-Za-z0-9._:-]{1,200})\/override$/.exec(path);
    if (req.method === 'POST' && m) {
      const result = await this.desk.override(decodeURIComponent(m[1] ?? ''), await readJson(req), new Date());
      if (result.kind === 'not-found') throw new HttpError(404, { error: 'not-found', message: 'no screened report with that id' });
      if (result.kind === 'invalid') throw new HttpError(422, { errors: result.errors });
      return send(res, 200, result.body);
    }
    if (req.method === 'GET' && path === '/v1/review-items') return send(res, 200, { items: await this.desk.openReviewItems() });
    throw new HttpError(404, { error: 'not-found', message: `no route ${req.method ?? ''} ${path}` });
  }

  private async postReport(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = new Date();
    const body = await readJson(req);
    const parsed = parseNationalPlatformReport(body, receivedAt);
    if ('errors' in parsed) {
      const reference = typeof (body as { reference?: unknown })?.reference === 'string' ? String((body as { reference: string }).reference).slice(0, 64) : `unreferenced-${receivedAt.getTime()}`;
      const channel = typeof (body as { channel?: unknown })?.channel === 'string' ? String((body as { channel: string }).channel).slice(0, 40) : 'unknown';
      await this.processor.reject(`rejected:${channel}:${reference}`, channel, body, parsed.errors, receivedAt);
      return send(res, 422, { error: 'invalid-report', message: 'the report was stored but not accepted; correct the fields below and send it again', errors: parsed.errors });
    }
    const [outcome] = await this.processor.process([parsed.report]);
    return send(res, outcome?.status === 'duplicate' ? 200 : 202, outcome);
  }
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://intake').pathname;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: 'too-large', message: `at most ${MAX_BODY_BYTES} bytes` });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, { error: 'malformed-json', message: 'the body is not JSON' });
  }
}

function splitHostPort(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  return [addr.slice(0, i).replace(/^\[|\]$/g, ''), Number(addr.slice(i + 1))];
}

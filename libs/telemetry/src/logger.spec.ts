import { Writable } from 'node:stream';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { PinoNestLogger, createLogger } from './logger';

class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0));
    callback();
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });

beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

describe('createLogger', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('writes JSON with service, logger name, level label and time', () => {
    process.env['OTEL_SERVICE_NAME'] = 'adapter-police';
    const out = new Capture();
    createLogger('intake', { destination: out }).info({ eventType: 'police.incident.recorded.v1' }, 'published');
    const [line] = out.records();
    expect(line).toMatchObject({
      level: 'info',
      service: 'adapter-police',
      logger: 'intake',
      eventType: 'police.incident.recorded.v1',
      msg: 'published',
    });
    expect(typeof line?.['time']).toBe('string');
    expect(line).not.toHaveProperty('trace_id');
  });

  it('carries the active span trace_id and span_id', () => {
    const out = new Capture();
    const logger = createLogger('trace-test', { destination: out });
    const span = trace.getTracer('test').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
    span.end();
    logger.info('outside');
    const [inside, outside] = out.records();
    expect(inside).toMatchObject({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, msg: 'inside' });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('works with startActiveSpan and async work', async () => {
    const out = new Capture();
    const logger = createLogger('async', { destination: out });
    const traceId = await trace.getTracer('test').startActiveSpan('async', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.warn('later');
      span.end();
      return span.spanContext().traceId;
    });
    expect(out.records()[0]).toMatchObject({ level: 'warn', trace_id: traceId });
  });

  it('never writes personal data from fields or messages', () => {
    const out = new Capture();
    const logger = createLogger('pii', { destination: out });
    logger.info({ nationalId: 'A123456789', note: 'x', caseRef: 'C-1' }, 'lookup for A123456789');
    logger.info('subject %s phone %s', 'A123456789', '0912345678');
    logger.info('details %j', { id: 'A123456789' });
    logger.error(new Error('no case for A123456789'));
    logger.error({ err: new Error('bad A123456789') });
    logger.child({ subjectName: '王小明', requestId: 'r-1' }).info('child line');
    logger.info({ nested: { list: [{ email: 'a@b.tw' }, 'B287654321'] } }, 'nested');

    const text = out.text();
    expect(text).not.toContain('A123456789');
    expect(text).not.toContain('B287654321');
    expect(text).not.toContain('0912345678');
    expect(text).not.toContain('a@b.tw');
    expect(text).not.toContain('王小明');

    const records = out.records();
    expect(records[0]).toMatchObject({ caseRef: 'C-1', msg: 'lookup for [redacted:national-id]' });
    expect(records[0]).not.toHaveProperty('nationalId');
    expect(records[0]).not.toHaveProperty('note');
    expect(records[1]?.['msg']).toBe('subject [redacted:national-id] phone [redacted:phone]');
    expect(records[3]).toMatchObject({ msg: 'no case for [redacted:national-id]', err: { type: 'Error' } });
    expect(String((records[3]?.['err'] as { stack: string }).stack)).toContain('no case for [redacted:national-id]');
    expect(records[4]?.['msg']).toBe('bad [redacted:national-id]');
    expect(records[5]).toMatchObject({ requestId: 'r-1', msg: 'child line' });
    expect(records[6]).toMatchObject({ nested: { list: [{}, '[redacted:national-id]'] } });
  });

  it('takes the level from LOG_LEVEL, defaulting to info', () => {
    process.env['LOG_LEVEL'] = 'warn';
    expect(createLogger('a', { destination: new Capture() }).level).toBe('warn');
    process.env['LOG_LEVEL'] = 'nonsense';
    expect(createLogger('b', { destination: new Capture() }).level).toBe('info');
    delete process.env['LOG_LEVEL'];
    expect(createLogger('c', { destination: new Capture() }).level).toBe('info');
    expect(createLogger('d', { destination: new Capture(), level: 'debug' }).level).toBe('debug');
  });

  it('keeps format placeholders without arguments and %%', () => {
    const out = new Capture();
    createLogger('fmt', { destination: out }).info('100%% done %s %d', 'now', 3);
    expect(out.records()[0]?.['msg']).toBe('100% done now 3');
  });
});

describe('PinoNestLogger', () => {
  function setUp(): { out: Capture; nest: PinoNestLogger } {
    const out = new Capture();
    return { out, nest: new PinoNestLogger(createLogger('nest', { destination: out, level: 'trace' })) };
  }

  it('maps Nest levels and contexts', () => {
    const { out, nest } = setUp();
    nest.log('Mapped {/health, GET} route', 'RouterExplorer');
    nest.warn('slow');
    nest.debug('dbg', 'Ctx');
    nest.verbose('very', 'Ctx');
    nest.fatal('dead', 'Ctx');
    expect(out.records()).toEqual([
      expect.objectContaining({ level: 'info', context: 'RouterExplorer', msg: 'Mapped {/health, GET} route', logger: 'nest' }),
      expect.objectContaining({ level: 'warn', msg: 'slow' }),
      expect.objectContaining({ level: 'debug', context: 'Ctx', msg: 'dbg' }),
      expect.objectContaining({ level: 'trace', context: 'Ctx', msg: 'very' }),
      expect.objectContaining({ level: 'fatal', context: 'Ctx', msg: 'dead' }),
    ]);
  });

  it('reads error stack and context like ConsoleLogger', () => {
    const { out, nest } = setUp();
    const stack = new Error('boom').stack ?? '';
    nest.error('failed', stack, 'ExceptionsHandler');
    nest.error('only context', 'Bootstrap');
    nest.error('only stack', stack);
    nest.error(new Error('thrown for A123456789'));
    nest.error({ code: 42, email: 'a@b.tw' }, 'Ctx');
    const records = out.records();
    expect(records[0]).toMatchObject({ level: 'error', msg: 'failed', context: 'ExceptionsHandler', stack });
    expect(records[1]).toMatchObject({ msg: 'only context', context: 'Bootstrap' });
    expect(records[1]).not.toHaveProperty('stack');
    expect(records[2]).toMatchObject({ msg: 'only stack', stack });
    expect(records[3]).toMatchObject({ msg: 'thrown for [redacted:national-id]' });
    expect(records[4]).toMatchObject({ context: 'Ctx', payload: { code: 42 } });
    expect(out.text()).not.toContain('A123456789');
    expect(out.text()).not.toContain('a@b.tw');
  });

  it('setLogLevels sets the most verbose enabled level', () => {
    const { nest, out } = setUp();
    nest.setLogLevels(['error', 'warn']);
    nest.log('hidden');
    nest.warn('shown');
    nest.setLogLevels([]);
    nest.error('silent');
    expect(out.records().map((r) => r['msg'])).toEqual(['shown']);
  });
});

import type { LogLevel, LoggerService } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type LevelWithSilent,
  type LogFn,
  type Logger,
} from 'pino';
import { maskPersonalData, redactPersonalData } from './personal-data';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Where JSON lines go; stdout when omitted. Tests pass a capturing stream. */
  readonly destination?: DestinationStream;
  /** Overrides LOG_LEVEL. */
  readonly level?: string;
}

type ChildFactory = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function isLevel(value: string): value is LevelWithSilent {
  return (LEVELS as readonly string[]).includes(value);
}

function resolveLevel(requested: string | undefined): LevelWithSilent {
  const level = requested?.trim().toLowerCase() ?? '';
  return isLevel(level) ? level : 'info';
}

/** Trace correlation for every line written inside an active, valid span. */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '"[unserializable]"';
  }
}

/**
 * printf-style formatting with pino's semantics (%s %d %i %f %j %o %O %%; surplus
 * arguments ignored), done here so the finished message can be scanned as a whole.
 */
function formatMessage(template: string, params: readonly unknown[]): string {
  let next = 0;
  return template.replace(/%([sdifjoO%])/g, (placeholder, code: string) => {
    if (code === '%') return '%';
    if (next >= params.length) return placeholder;
    const param = params[next++];
    switch (code) {
      case 's':
        return typeof param === 'string' ? param : typeof param === 'object' && param !== null ? safeJson(param) : String(param);
      case 'd':
      case 'f':
        return String(Number(param));
      case 'i':
        return String(Math.trunc(Number(param)));
      default:
        return safeJson(param);
    }
  });
}

/**
 * Log arguments with personal data removed before pino sees them: the merge object is
 * redacted here too (not only in formatters.log) because pino takes the message of a
 * logged Error from the object before formatters run.
 */
function sanitizeArguments(args: readonly unknown[]): unknown[] {
  const first = args[0];
  const hasObject = typeof first === 'object' && first !== null;
  const head = hasObject ? [redactPersonalData(first)] : [];
  const rest = hasObject ? args.slice(1) : args;
  const message = rest[0];
  if (typeof message !== 'string') return [...head, ...rest.slice(0, 1)];
  const params = rest.slice(1).map((p) => redactPersonalData(p));
  const text = params.length > 0 ? formatMessage(message, params) : message;
  return [...head, maskPersonalData(text)];
}

/**
 * A JSON logger: `{level, time, service, logger, trace_id?, span_id?, msg, ...}` per line,
 * with personal data removed from fields (redactPersonalData) and masked in the message.
 * Level from LOG_LEVEL (default info), service from OTEL_SERVICE_NAME (else the logger name).
 */
export function createLogger(name: string, options: CreateLoggerOptions = {}): Logger {
  const serviceName = process.env['OTEL_SERVICE_NAME']?.trim();
  const logger = pino(
    {
      level: resolveLevel(options.level ?? process.env['LOG_LEVEL']),
      base: { service: serviceName === undefined || serviceName === '' ? name : serviceName, logger: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceFields,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactPersonalData(bindings),
        log: (object) => redactPersonalData(object),
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, sanitizeArguments(args) as Parameters<LogFn>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  // pino applies formatters.bindings to the root logger only. Children are created with
  // the parent as prototype, so this one override covers every descendant.
  const originalChild = logger.child as unknown as ChildFactory;
  function redactingChild(this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions): Logger {
    return originalChild.call(this, redactPersonalData(bindings), childOptions);
  }
  Object.defineProperty(logger, 'child', { value: redactingChild, writable: true, configurable: true });
  return logger;
}

const STACK_FORMAT = /^(.)+\n\s+at .+:\d+:\d+/;

function isStack(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && STACK_FORMAT.test(value));
}

type PinoMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const NEST_TO_PINO: Readonly<Record<LogLevel, PinoMethod>> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

// Most verbose first, for setLogLevels.
const PINO_ORDER: readonly PinoMethod[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * NestJS LoggerService on top of createLogger, so framework lines (route mapping, startup,
 * exceptions) are the same JSON as the application's. Mirrors Nest's ConsoleLogger in how it
 * reads the optional parameters: a trailing string is the context, and for `error` a
 * stack-shaped string is the stack.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger = createLogger('nest')) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    if (optionalParams.length === 1) {
      const [only] = optionalParams;
      if (isStack(only)) {
        this.emit('error', message, { stack: only });
      } else {
        this.emit('error', message, { context: only });
      }
      return;
    }
    const { context, extra } = splitContext(optionalParams);
    const last = extra[extra.length - 1];
    if (extra.length > 0 && (typeof last === 'string' || last === undefined)) {
      this.emit('error', message, { context, stack: last, extra: extra.slice(0, -1) });
    } else {
      this.emit('error', message, { context, extra });
    }
  }

  setLogLevels(levels: LogLevel[]): void {
    const enabled = levels.map((l) => NEST_TO_PINO[l]);
    const lowest = PINO_ORDER.find((l) => enabled.includes(l));
    this.logger.level = lowest ?? 'silent';
  }

  private write(level: PinoMethod, message: unknown, optionalParams: unknown[]): void {
    const { context, extra } = splitContext(optionalParams);
    this.emit(level, message, { context, extra });
  }

  private emit(
    level: PinoMethod,
    message: unknown,
    meta: { context?: unknown; stack?: unknown; extra?: readonly unknown[] },
  ): void {
    const fields: Record<string, unknown> = {};
    if (typeof meta.context === 'string' && meta.context !== '') fields['context'] = meta.context;
    if (typeof meta.stack === 'string') fields['stack'] = meta.stack;
    if (meta.extra !== undefined && meta.extra.length > 0) fields['params'] = meta.extra;
    if (message instanceof Error) {
      fields['err'] = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      fields['payload'] = message;
      this.logger[level](fields);
    } else {
      this.logger[level](fields, String(message));
    }
  }
}

function splitContext(params: readonly unknown[]): { context: string | undefined; extra: unknown[] } {
  const last = params[params.length - 1];
  if (params.length > 0 && typeof last === 'string') {
    return { context: last, extra: params.slice(0, -1) };
  }
  return { context: undefined, extra: [...params] };
}

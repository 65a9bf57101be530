import { z } from 'zod';

/** Parsers for the shapes of value weave's configuration uses. */

const HOST_PORT = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;

export const hostPort = z
  .string()
  .trim()
  .refine((v) => HOST_PORT.test(v) && Number(v.split(':')[1]) <= 65535, 'expected host:port');

export const hostPortList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
  .refine((list) => list.length > 0 && list.every((s) => HOST_PORT.test(s)), 'expected host:port[,host:port...]');

export const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v), 'expected postgres://user@host:port/database');

export const redisUrl = z
  .string()
  .trim()
  .refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), 'expected redis://host:port');

export const sqlIdentifier = z
  .string()
  .trim()
  .refine((v) => /^[a-z_][a-z0-9_]{0,62}$/.test(v), 'expected a lower-case SQL identifier');

export const kafkaGroupId = z
  .string()
  .trim()
  .refine((v) => /^[a-z0-9][a-z0-9-]{0,100}$/.test(v), 'expected lower-case letters, digits and dashes');

export const positiveInt = z
  .string()
  .trim()
  .refine((v) => /^[0-9]+$/.test(v) && Number(v) > 0, 'expected a positive integer')
  .transform(Number);

export const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  errorMap: () => ({ message: 'expected one of fatal, error, warn, info, debug, trace, silent' }),
});

/** An optional file path: empty means "not set". */
export const optionalPath = z.string().trim().transform((v) => (v === '' ? undefined : v));

/** Base64 that decodes to at least `bytes` bytes. */
export function base64Key(bytes: number) {
  return z
    .string()
    .trim()
    .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length >= bytes, `expected base64 of at least ${bytes} bytes`)
    .transform((v) => Buffer.from(v, 'base64'));
}

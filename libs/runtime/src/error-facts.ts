/**
 * What may be logged about an error from PostgreSQL or Kafka: its class and its code,
 * never its message (a PostgreSQL message or detail can quote the value it refused).
 */
export interface ErrorFacts {
  readonly name: string;
  readonly code?: string;
}

function codeOf(err: object): string | undefined {
  const record = err as Record<string, unknown>;
  for (const field of ['code', 'type']) {
    const value = record[field];
    if (typeof value === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(value)) return value;
  }
  return undefined;
}

export function errorFacts(err: unknown): ErrorFacts {
  if (typeof err !== 'object' || err === null) return { name: typeof err };
  const name = err instanceof Error ? err.name : 'object';
  let code = codeOf(err);
  // kafkajs wraps the broker's error (e.g. UNKNOWN_TOPIC_OR_PARTITION) in a retry error.
  const cause = (err as { cause?: unknown; originalError?: unknown }).cause ?? (err as { originalError?: unknown }).originalError;
  if (code === undefined && typeof cause === 'object' && cause !== null) code = codeOf(cause);
  return code === undefined ? { name } : { name, code };
}

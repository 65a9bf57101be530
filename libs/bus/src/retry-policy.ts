/** Bounded retries with exponential backoff for a failing message handler. */
export interface RetryPolicy {
  /** Total attempts, including the first; after the last the message is dead-lettered. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };

/**
 * Delay before attempt `failedAttempt + 1`: doubling from the initial delay, capped, with
 * ±20% jitter so that consumers that failed together do not retry together.
 */
export function backoffDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const exponential = policy.initialBackoffMs * 2 ** Math.max(0, failedAttempt - 1);
  const capped = Math.min(policy.maxBackoffMs, exponential);
  const jitter = 0.8 + 0.4 * random();
  return Math.round(Math.min(policy.maxBackoffMs, capped * jitter));
}

/**
 * A handler throws this when retrying cannot help (the message itself is wrong), so the
 * message goes to the dead-letter topic at once instead of after every attempt.
 */
export class PermanentHandlerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentHandlerError';
  }
}

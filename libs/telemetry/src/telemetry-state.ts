/**
 * Process-wide telemetry state, kept on a global Symbol rather than in module scope: the
 * register script and the application may load this library through different paths
 * (`./libs/telemetry/src/...` vs the `@weave/telemetry` alias), which gives two module
 * instances but must still mean one SDK.
 */
const STATE_KEY = Symbol.for('weave.telemetry.state');

export interface StartedTelemetry {
  /** Flushes pending spans and stops exporting; what NodeSDK.shutdown() does. */
  shutdown(): Promise<void>;
}

export interface TelemetryState {
  readonly sdk: StartedTelemetry | undefined;
  shutdownPromise?: Promise<void>;
}

type GlobalWithState = typeof globalThis & { [STATE_KEY]?: TelemetryState };

export function getTelemetryState(): TelemetryState | undefined {
  return (globalThis as GlobalWithState)[STATE_KEY];
}

/** Records `create()`'s result unless a state exists already; returns the state in force. */
export function initTelemetryState(create: () => TelemetryState): TelemetryState {
  const global = globalThis as GlobalWithState;
  const existing = global[STATE_KEY];
  if (existing !== undefined) return existing;
  const state = create();
  global[STATE_KEY] = state;
  return state;
}

export function isTelemetryStarted(): boolean {
  const state = getTelemetryState();
  return state?.sdk !== undefined && state.shutdownPromise === undefined;
}

/**
 * Flushes and shuts down the SDK started by `register.ts`; a no-op when it was not started
 * (disabled, or the register script not loaded). Safe to call more than once. The service
 * runtime calls it on SIGTERM after the application has closed, so the last spans leave.
 */
export function shutdownTelemetry(): Promise<void> {
  const state = getTelemetryState();
  if (state?.sdk === undefined) return Promise.resolve();
  state.shutdownPromise ??= state.sdk.shutdown();
  return state.shutdownPromise;
}

import { z } from 'zod';

/**
 * One environment variable: its name, meaning, default and parser. Services declare
 * their configuration as a record of these, so that the loader, the README table and the
 * deploy-manifest consistency test all read the same declaration.
 */
export interface EnvVar<T> {
  readonly name: string;
  readonly description: string;
  /** Raw default used when the variable is unset; undefined means required. */
  readonly defaultValue?: string;
  /** Secrets are never echoed in error messages. */
  readonly secret?: boolean;
  readonly schema: z.ZodType<T, z.ZodTypeDef, string>;
  /**
   * Names a set of variables that only make sense together (e.g. a certificate, its key and
   * its CA): within a service, either all of the set are set or none is; a partial set is a
   * configuration error instead of a silent downgrade.
   */
  readonly allOrNone?: string;
}

export type ConfigShape = Record<string, EnvVar<unknown>>;

export type ConfigOf<S extends ConfigShape> = { readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

export interface ServiceConfigDefinition<S extends ConfigShape> {
  /** Deployable name, as in deploy/compose.yaml and deploy/k8s. */
  readonly service: string;
  readonly variables: S;
}

export function envVar<T>(spec: EnvVar<T>): EnvVar<T> {
  return spec;
}

export function defineServiceConfig<S extends ConfigShape>(service: string, variables: S): ServiceConfigDefinition<S> {
  const names = Object.values(variables).map((v) => v.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`${service}: variable ${duplicate} declared twice`);
  return { service, variables };
}

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `invalid configuration for ${service}:\n` +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n') +
        '\n(see the configuration table in README.md)',
    );
    this.name = 'ConfigError';
  }
}

/** Parses every declared variable; reports all problems at once, naming each variable. */
export function loadConfig<S extends ConfigShape>(
  definition: ServiceConfigDefinition<S>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfigOf<S> {
  const problems: ConfigProblem[] = [];
  const result: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(definition.variables)) {
    const raw = env[variable.name];
    const value = raw === undefined || raw === '' ? variable.defaultValue : raw;
    if (value === undefined) {
      problems.push({ variable: variable.name, message: `required: ${variable.description}` });
      continue;
    }
    const parsed = variable.schema.safeParse(value);
    if (parsed.success) {
      result[key] = parsed.data;
    } else {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      const shown = variable.secret ? '(value hidden)' : `got "${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;
      problems.push({ variable: variable.name, message: `${why}, ${shown}` });
    }
  }
  problems.push(...allOrNoneProblems(Object.values(definition.variables), env));
  if (problems.length > 0) throw new ConfigError(definition.service, problems);
  return result as ConfigOf<S>;
}

function allOrNoneProblems(variables: readonly EnvVar<unknown>[], env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  const sets = new Map<string, EnvVar<unknown>[]>();
  for (const variable of variables) {
    if (variable.allOrNone) sets.set(variable.allOrNone, [...(sets.get(variable.allOrNone) ?? []), variable]);
  }
  const problems: ConfigProblem[] = [];
  for (const [set, members] of sets) {
    const isSet = (v: EnvVar<unknown>) => (env[v.name] ?? '').trim() !== '' || (v.defaultValue ?? '') !== '';
    const given = members.filter(isSet);
    if (given.length === 0 || given.length === members.length) continue;
    const names = members.map((m) => m.name).join(', ');
    for (const missing of members.filter((m) => !isSet(m))) {
      problems.push({ variable: missing.name, message: `${set} needs ${names} together (or none of them); only ${given.map((g) => g.name).join(', ')} set` });
    }
  }
  return problems;
}

/**
 * Keeps deploy/ honest. The dev machines have no Docker engine and no cluster, so nothing runs
 * deploy/compose.yaml or deploy/k8s there. This spec reads them instead and compares them with the
 * declarations in libs/config/src/services (serviceConfigs):
 *
 * - every service in serviceConfigs is deployed, and nothing else is;
 * - a container gets only the variables its service declares (plus RUNTIME_VARIABLES), and every
 *   required variable; each literal value passes the variable's own parser;
 * - the gRPC port in GRPC_LISTEN_ADDR is the one that ports, probes and Services use;
 * - shutdown grace periods are longer than SHUTDOWN_TIMEOUT_MS; pods run as non-root; secrets come
 *   from the Secret.
 *
 * Each problem is a line that names the file, the service and the variable. The last describe
 * block feeds the checks broken manifests, to show that they catch the mistakes.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ConfigShape, EnvVar, ServiceConfigDefinition } from './env-var';
import { serviceConfigs } from './services';

type Definition = ServiceConfigDefinition<ConfigShape>;
type Obj = Readonly<Record<string, unknown>>;

const ROOT = join(__dirname, '../../..');
const COMPOSE_FILE = 'deploy/compose.yaml';
const OTEL_FILE = 'deploy/otel-collector.yaml';
const DOCKERFILE = 'deploy/Dockerfile';
const K8S_DIR = 'deploy/k8s';
const KUSTOMIZATION_FILE = `${K8S_DIR}/kustomization.yaml`;
/** Not in the kustomization on purpose: applying placeholders would overwrite the real Secret. */
const SECRET_TEMPLATE_FILE = `${K8S_DIR}/secret.template.yaml`;
const LOCAL_KAFKA_TEMPLATE = 'deploy/local/kafka/server.properties.template';

/**
 * Variables a container may receive although no service configuration declares them, because
 * the image or Node.js reads them, not the service. Keep this list short: anything a service
 * reads belongs in libs/config/src/services, where it is documented and validated.
 */
const RUNTIME_VARIABLES: ReadonlySet<string> = new Set([
  'WEAVE_APP', // picks apps/<name>/src/main.ts in the image entrypoint (deploy/Dockerfile)
  'WEAVE_PROTOS_DIR', // where libs/contracts finds the .proto files; the image sets it
  'NODE_ENV', // the image sets it
  'NODE_OPTIONS', // flags for node itself, e.g. --max-old-space-size
]);

// ------------------------------------------------------------------------------------ helpers

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Scalars as a string, the way Compose turns `PORT: 5432` into "5432". */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function repoPath(path: string): string {
  return join(ROOT, path);
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 4; // suggest only near misses
  for (const candidate of candidates) {
    const distance = levenshtein(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

const HOST_PORT = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;

function isLoopback(host: string): boolean {
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isIpAddress(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

/** Host names in a URL or a host:port[,host:port] list; [] for any other value. */
function hostsIn(value: string): string[] {
  if (value.includes('://')) {
    try {
      return [new URL(value).hostname];
    } catch {
      return [];
    }
  }
  const parts = value.split(',').map((p) => p.trim());
  return parts.every((p) => HOST_PORT.test(p)) ? parts.map((p) => p.slice(0, p.lastIndexOf(':'))) : [];
}

// ------------------------------------------------------------------------------------ YAML

interface YamlFile {
  readonly file: string;
  readonly docs: readonly unknown[];
  /** Syntax errors, warnings (duplicate keys and the like) and tabs. */
  readonly problems: readonly string[];
}

function parseYaml(file: string, text: string): YamlFile {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.includes('\t')) problems.push(`${file}:${i + 1}: tab character (YAML is indented with spaces)`);
  });
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text, { merge: true, uniqueKeys: true, prettyErrors: true })) {
    for (const error of doc.errors) problems.push(`${file}: ${error.message}`);
    for (const warning of doc.warnings) problems.push(`${file}: ${warning.message}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) docs.push(value);
  }
  return { file, docs, problems };
}

function readYaml(file: string): YamlFile {
  return parseYaml(file, readFileSync(repoPath(file), 'utf8'));
}

// ------------------------------------------------------------------------------------ model

interface ProvidedVariable {
  readonly name: string;
  /** The literal value, or undefined when only the deployment knows it (a Secret, `${...}`). */
  readonly value: string | undefined;
  /** For messages: "environment", "ConfigMap weave-common", "Secret weave-secrets". */
  readonly source: string;
  readonly fromSecret: boolean;
}

/** One container of a weave service, as a manifest deploys it. */
interface DeployedService {
  readonly file: string;
  /** For messages, e.g. `compose service "gateway"` or `Deployment "gateway"`. */
  readonly label: string;
  /** The serviceConfigs name it runs (WEAVE_APP, else the compose service name). */
  readonly service: string;
  readonly variables: ReadonlyMap<string, ProvidedVariable>;
}

function at(d: DeployedService): string {
  return `${d.file}: ${d.label}`;
}

function declaredVariables(definition: Definition): Map<string, EnvVar<unknown>> {
  return new Map(Object.values(definition.variables).map((v) => [v.name, v]));
}

/** The value the service will see: provided, else the declared default; undefined if unknown. */
function effectiveValue(d: DeployedService, variable: EnvVar<unknown>): { readonly value: string | undefined; readonly source: string } {
  const provided = d.variables.get(variable.name);
  if (provided) return { value: provided.value, source: provided.source };
  return { value: variable.defaultValue, source: 'default in libs/config' };
}

/** Set difference both ways between what the manifests deploy and what serviceConfigs declares. */
function coverageProblems(file: string, kind: string, deployed: readonly DeployedService[], definitions: readonly Definition[]): string[] {
  const problems: string[] = [];
  const names = deployed.map((d) => d.service);
  for (const definition of definitions) {
    if (!names.includes(definition.service)) {
      problems.push(`${file}: no ${kind} runs service "${definition.service}" (declared in libs/config/src/services)`);
    }
  }
  for (const d of deployed) {
    if (!definitions.some((def) => def.service === d.service)) {
      problems.push(`${at(d)}: runs "${d.service}", which libs/config/src/services does not declare (serviceConfigs)`);
    }
    if (names.filter((n) => n === d.service).length > 1) problems.push(`${at(d)}: service "${d.service}" is deployed more than once`);
    if (!existsSync(repoPath(`apps/${d.service}/src/main.ts`))) problems.push(`${at(d)}: apps/${d.service}/src/main.ts does not exist`);
  }
  return [...new Set(problems)];
}

/** Only declared (or runtime) variables, every required one, and literal values that parse. */
function variableProblems(d: DeployedService, definition: Definition): string[] {
  const problems: string[] = [];
  const declared = declaredVariables(definition);
  const configFile = `libs/config/src/services/${definition.service}.config.ts`;
  for (const provided of d.variables.values()) {
    const variable = declared.get(provided.name);
    if (!variable) {
      if (RUNTIME_VARIABLES.has(provided.name)) continue;
      const suggestion = closest(provided.name, declared.keys());
      problems.push(
        `${at(d)}: ${provided.name} (from ${provided.source}) is not declared by ${definition.service} in ${configFile}` +
          (suggestion ? ` (did you mean ${suggestion}?)` : ''),
      );
      continue;
    }
    if (provided.value === undefined) continue;
    const parsed = variable.schema.safeParse(provided.value);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      const shown = variable.secret ? '(value hidden)' : `got "${provided.value}"`;
      problems.push(`${at(d)}: ${provided.name} (from ${provided.source}) is invalid for ${definition.service}: ${why}, ${shown}`);
    }
  }
  for (const variable of declared.values()) {
    if (variable.defaultValue === undefined && !d.variables.has(variable.name)) {
      problems.push(`${at(d)}: required variable ${variable.name} of ${definition.service} is not provided (${variable.description})`);
    }
  }
  return problems;
}

/** The port GRPC_LISTEN_ADDR makes the service listen on, or a problem explaining why it is unusable. */
function grpcPort(d: DeployedService, definition: Definition): { readonly port?: number; readonly problems: readonly string[] } {
  const variable = definition.variables['grpcListenAddr'];
  if (!variable) return { problems: [`${at(d)}: ${definition.service} declares no grpcListenAddr variable; probes and ports need its gRPC port`] };
  const { value, source } = effectiveValue(d, variable);
  if (value === undefined) {
    return { problems: [`${at(d)}: ${variable.name} must be a literal value (it comes from ${source}); ports and probes are checked against it`] };
  }
  const match = /^(.+):(\d+)$/.exec(value.trim());
  if (!match) return { problems: [`${at(d)}: ${variable.name}="${value}" is not host:port`] };
  const [, host = '', portText = ''] = match;
  const port = Number(portText);
  const problems: string[] = [];
  if (port === 0) problems.push(`${at(d)}: ${variable.name}="${value}" picks a random port; probes and Services need a fixed one`);
  if (isLoopback(host)) {
    problems.push(`${at(d)}: ${variable.name}="${value}" (from ${source}) binds loopback, which nothing outside the container can reach; use 0.0.0.0:${port}`);
  }
  return { port, problems };
}

/** The plaintext health port, when the service sets GRPC_HEALTH_LISTEN_ADDR (its main port then needs mTLS, which probes cannot do). */
function healthPort(d: DeployedService, definition: Definition): number | undefined {
  const variable = definition.variables['grpcHealthListenAddr'];
  if (!variable) return undefined;
  const { value } = effectiveValue(d, variable);
  const match = value ? /^(.+):(\d+)$/.exec(value.trim()) : null;
  return match ? Number(match[2]) : undefined;
}

function shutdownSeconds(d: DeployedService, definition: Definition): number | undefined {
  const variable = definition.variables['shutdownTimeoutMs'];
  if (!variable) return undefined;
  const { value } = effectiveValue(d, variable);
  return value === undefined || !/^\d+$/.test(value.trim()) ? undefined : Number(value) / 1000;
}

function definitionFor(d: DeployedService, definitions: readonly Definition[]): Definition | undefined {
  return definitions.find((def) => def.service === d.service);
}

// ------------------------------------------------------------------------------------ compose

const COMPOSE_TOP_LEVEL = new Set(['name', 'services', 'networks', 'volumes', 'configs', 'secrets', 'include', 'models']);
const COMPOSE_SERVICE_KEYS = new Set(
  (
    'annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command configs container_name cpu_count ' +
    'cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset credential_spec depends_on deploy ' +
    'develop device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint env_file environment expose extends ' +
    'external_links extra_hosts gpus group_add healthcheck hostname image init ipc isolation label_file labels links logging ' +
    'mac_address mem_limit mem_reservation mem_swappiness memswap_limit models network_mode networks oom_kill_disable ' +
    'oom_score_adj pid pids_limit platform ports post_start pre_stop privileged profiles provider pull_policy read_only ' +
    'restart runtime scale secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs ' +
    'tty ulimits use_api_socket user userns_mode uts volumes volumes_from working_dir'
  ).split(' '),
);

interface ComposeService extends DeployedService {
  readonly name: string;
  readonly spec: Obj;
}

interface ComposeModel {
  readonly file: string;
  readonly services: ReadonlyMap<string, Obj>;
  readonly weave: readonly ComposeService[];
  readonly problems: readonly string[];
}

function composeMap(value: unknown): Map<string, string | undefined> {
  const result = new Map<string, string | undefined>();
  if (isObj(value)) {
    for (const [key, v] of Object.entries(value)) result.set(key, scalar(v));
  } else {
    for (const item of arr(value)) {
      const text = scalar(item) ?? '';
      const eq = text.indexOf('=');
      if (eq < 0) result.set(text, undefined);
      else result.set(text.slice(0, eq), text.slice(eq + 1));
    }
  }
  return result;
}

function composeVariables(spec: Obj): Map<string, ProvidedVariable> {
  const variables = new Map<string, ProvidedVariable>();
  for (const [name, value] of composeMap(spec['environment'])) {
    // `${...}` is filled in by Compose from the shell; a bare name passes the shell's value through.
    const literal = value !== undefined && !value.includes('$');
    variables.set(name, {
      name,
      value: literal ? value : undefined,
      source: literal ? 'environment' : 'environment, from the shell',
      fromSecret: false,
    });
  }
  return variables;
}

function composeModel(file: string, yaml: YamlFile, definitions: readonly Definition[]): ComposeModel {
  const problems = [...yaml.problems];
  if (yaml.docs.length !== 1) problems.push(`${file}: expected one YAML document, found ${yaml.docs.length}`);
  const root = obj(yaml.docs[0]);
  const services = new Map(Object.entries(obj(root['services'])).map(([name, spec]) => [name, obj(spec)]));
  const weave: ComposeService[] = [];
  for (const [name, spec] of services) {
    const buildArg = isObj(spec['build']) ? composeMap(spec['build']['args']).get('WEAVE_APP') : undefined;
    const variables = composeVariables(spec);
    const app = buildArg ?? variables.get('WEAVE_APP')?.value;
    if (app === undefined && !definitions.some((d) => d.service === name)) continue;
    const label = `compose service "${name}"`;
    if (app !== undefined && app !== name) {
      problems.push(`${file}: ${label}: WEAVE_APP is "${app}"; the compose service must be named after the service it runs`);
    }
    if (spec['env_file'] !== undefined) {
      problems.push(`${file}: ${label}: env_file hides variable names from this check; list them under environment`);
    }
    weave.push({ file, label, name, service: app ?? name, spec, variables });
  }
  return { file, services, weave, problems };
}

function composeStructureProblems(model: ComposeModel, yaml: YamlFile): string[] {
  const { file } = model;
  const problems: string[] = [];
  const root = obj(yaml.docs[0]);
  for (const key of Object.keys(root)) {
    if (key === 'version') problems.push(`${file}: the top-level "version" key is obsolete in the Compose spec; remove it`);
    else if (!COMPOSE_TOP_LEVEL.has(key) && !key.startsWith('x-')) problems.push(`${file}: unknown top-level key "${key}"`);
  }
  if (model.services.size === 0) problems.push(`${file}: no services`);
  const volumes = new Set(Object.keys(obj(root['volumes'])));
  const published = new Map<string, string>();
  for (const [name, spec] of model.services) {
    const where = `${file}: compose service "${name}"`;
    for (const key of Object.keys(spec)) {
      if (!COMPOSE_SERVICE_KEYS.has(key) && !key.startsWith('x-')) problems.push(`${where}: unknown key "${key}"`);
    }
    if (spec['image'] === undefined && spec['build'] === undefined) problems.push(`${where}: needs image or build`);
    for (const dependency of composeMap(spec['depends_on']).keys()) {
      if (!model.services.has(dependency)) problems.push(`${where}: depends_on "${dependency}", which is not a service`);
    }
    for (const volume of arr(spec['volumes'])) {
      const source = isObj(volume) ? (volume['type'] === 'volume' ? scalar(volume['source']) : undefined) : scalar(volume)?.split(':')[0];
      if (source && !/^[./~$]/.test(source) && !volumes.has(source)) problems.push(`${where}: named volume "${source}" is not declared under volumes`);
    }
    for (const port of composePorts(spec['ports'])) {
      if (port.host === undefined) continue;
      const other = published.get(port.host);
      if (other !== undefined) problems.push(`${where}: host port ${port.host} is already published by "${other}"`);
      published.set(port.host, name);
    }
  }
  return problems;
}

interface ComposePort {
  /** Container port; NaN when the syntax is not understood. */
  readonly target: number;
  /** host_ip:published, when published. */
  readonly host?: string;
  readonly text: string;
}

function composePorts(value: unknown): ComposePort[] {
  return arr(value).map((entry): ComposePort => {
    if (isObj(entry)) {
      const published = scalar(entry['published']);
      const hostIp = scalar(entry['host_ip']) ?? '0.0.0.0';
      return { target: Number(scalar(entry['target'])), host: published ? `${hostIp}:${published}` : undefined, text: JSON.stringify(entry) };
    }
    const text = scalar(entry) ?? '';
    const parts = text.replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts[parts.length - 1]);
    if (parts.length === 1) return { target, text };
    const hostParts = parts.slice(0, -1);
    return { target, host: hostParts.length === 1 ? `0.0.0.0:${hostParts[0] ?? ''}` : hostParts.join(':'), text };
  });
}

function composeDurationSeconds(value: unknown): number | undefined {
  const units: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
  let rest = scalar(value)?.trim() ?? '';
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(us|ms|h|m|s)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * (units[match[2] ?? ''] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** Variables, gRPC ports, dependencies, stop grace period and build of each weave service. */
function composeServiceProblems(model: ComposeModel, definitions: readonly Definition[]): string[] {
  const problems: string[] = [];
  for (const d of model.weave) {
    const definition = definitionFor(d, definitions);
    if (!definition) continue; // reported by coverageProblems
    problems.push(...variableProblems(d, definition));

    // The gRPC port is the one published.
    const grpc = grpcPort(d, definition);
    problems.push(...grpc.problems);
    const ports = composePorts(d.spec['ports']);
    if (grpc.port !== undefined) {
      const listenName = definition.variables['grpcListenAddr']?.name ?? 'GRPC_LISTEN_ADDR';
      if (!ports.some((p) => p.target === grpc.port)) problems.push(`${at(d)}: ports do not publish gRPC port ${grpc.port} (${listenName})`);
      // Other listeners the service declares (e.g. intake's HTTP endpoint) may be published too.
      const env = composeMap(d.spec['environment']);
      const otherListeners = new Set(
        [...env]
          .filter(([name]) => name.endsWith('_LISTEN_ADDR') && name !== listenName)
          .map(([, value]) => Number(String(value).split(':').pop())),
      );
      for (const p of ports) {
        if (p.target !== grpc.port && !otherListeners.has(p.target)) problems.push(`${at(d)}: ports entry ${p.text} targets ${p.target}, but ${listenName} listens on ${grpc.port}`);
      }
    }

    // Everything the environment points at is a compose service this one waits for.
    const dependsOn = new Map<string, string>();
    const rawDepends = d.spec['depends_on'];
    for (const [name] of composeMap(rawDepends)) {
      dependsOn.set(name, isObj(rawDepends) ? (scalar(obj(rawDepends[name])['condition']) ?? 'service_started') : 'service_started');
    }
    const listenVariable = definition.variables['grpcListenAddr']?.name;
    for (const provided of d.variables.values()) {
      if (provided.value === undefined || provided.name === listenVariable) continue;
      const shown = declaredVariables(definition).get(provided.name)?.secret ? provided.name : `${provided.name}="${provided.value}"`;
      for (const host of hostsIn(provided.value)) {
        if (isLoopback(host)) {
          problems.push(`${at(d)}: ${shown} points at ${host}, which inside a container is the container itself`);
        } else if (isIpAddress(host)) {
          continue;
        } else if (!model.services.has(host)) {
          problems.push(`${at(d)}: ${shown} points at host "${host}", which is not a service in ${model.file}`);
        } else if (!dependsOn.has(host)) {
          problems.push(`${at(d)}: ${provided.name} points at "${host}", but depends_on does not list it`);
        } else if (model.services.get(host)?.['healthcheck'] !== undefined && dependsOn.get(host) !== 'service_healthy') {
          problems.push(`${at(d)}: ${provided.name} points at "${host}", which has a healthcheck; wait for it with condition: service_healthy`);
        }
      }
    }

    // Docker's SIGKILL comes after stop_grace_period (default 10 s).
    const shutdown = shutdownSeconds(d, definition);
    const grace = d.spec['stop_grace_period'] === undefined ? 10 : composeDurationSeconds(d.spec['stop_grace_period']);
    if (grace === undefined) problems.push(`${at(d)}: stop_grace_period "${String(d.spec['stop_grace_period'])}" is not a duration`);
    else if (shutdown !== undefined && grace <= shutdown) {
      problems.push(`${at(d)}: stop_grace_period ${grace}s must be longer than SHUTDOWN_TIMEOUT_MS (${shutdown}s)`);
    }

    // Built from the one Dockerfile.
    const build = obj(d.spec['build']);
    const context = scalar(build['context']) ?? '.';
    const dockerfile = normalize(join('deploy', context, scalar(build['dockerfile']) ?? 'Dockerfile'));
    if (dockerfile !== normalize(DOCKERFILE)) problems.push(`${at(d)}: builds ${dockerfile}, expected ${DOCKERFILE}`);
  }
  return problems;
}

function composeProblems(file: string, yaml: YamlFile, definitions: readonly Definition[]): string[] {
  const model = composeModel(file, yaml, definitions);
  return [
    ...model.problems,
    ...composeStructureProblems(model, yaml),
    ...coverageProblems(file, 'compose service', model.weave, definitions),
    ...composeServiceProblems(model, definitions),
  ];
}

/** Kafka property name for an apache/kafka image variable (KAFKA_LOG_RETENTION_HOURS -> log.retention.hours). */
function kafkaProperty(variable: string): string {
  return variable
    .slice('KAFKA_'.length)
    .replace(/(?<!_)_(?!_)/g, '.')
    .replace(/___/g, '-')
    .replace(/__/g, '_')
    .toLowerCase();
}

/**
 * Local-stack broker settings that compose does not share: its listeners differ (compose adds a
 * HOST listener for tools on the host), and compose runs a plaintext broker without an
 * authoriser, so the local stack's TLS and ACL settings are not compared (deploy/README.md says
 * why; the local stack is where the ACLs are enforced and tested).
 */
function comparedWithCompose(property: string): boolean {
  const listeners = ['listener.security.protocol.map', 'inter.broker.listener.name'];
  const security = ['authorizer.class.name', 'allow.everyone.if.no.acl.found', 'super.users'];
  return !listeners.includes(property) && !security.includes(property) && !property.startsWith('ssl.');
}

/** The broker in compose uses the local stack's settings, except for addresses, directories and security. */
function composeKafkaProblems(model: ComposeModel): string[] {
  const kafka = model.services.get('kafka');
  if (!kafka) return [`${model.file}: no "kafka" service`];
  const where = `${model.file}: compose service "kafka"`;
  const problems: string[] = [];
  if (!/^apache\/kafka:3\.9\.2$/.test(scalar(kafka['image']) ?? '')) problems.push(`${where}: image should be apache/kafka:3.9.2, as in the local stack`);
  const environment = composeMap(kafka['environment']);
  const properties = new Map<string, { variable: string; value: string | undefined }>();
  for (const [variable, value] of environment) {
    if (variable.startsWith('KAFKA_') && !variable.endsWith('_OPTS')) properties.set(kafkaProperty(variable), { variable, value });
  }
  for (const line of readFileSync(repoPath(LOCAL_KAFKA_TEMPLATE), 'utf8').split('\n')) {
    const match = /^([a-z0-9.]+)=(.*)$/.exec(line.trim());
    if (!match || line.includes('@') || !comparedWithCompose(match[1] ?? '')) continue;
    const [, property = '', expected = ''] = match;
    const actual = properties.get(property);
    if (actual?.value !== expected) {
      problems.push(`${where}: ${property} is "${expected}" in ${LOCAL_KAFKA_TEMPLATE} but ${actual ? `"${actual.value ?? ''}" (${actual.variable})` : 'not set'} here`);
    }
  }
  if (!environment.get('CLUSTER_ID')) problems.push(`${where}: CLUSTER_ID is required by the image in KRaft mode`);
  if (kafka['healthcheck'] === undefined) problems.push(`${where}: needs a healthcheck (services wait for service_healthy)`);
  return problems;
}

function composeInfrastructureProblems(model: ComposeModel): string[] {
  const problems: string[] = [];
  for (const name of ['postgres', 'redis']) {
    if (model.services.get(name)?.['healthcheck'] === undefined) problems.push(`${model.file}: compose service "${name}" needs a healthcheck`);
  }
  const redisCommand = arr(model.services.get('redis')?.['command']).map(scalar).join(' ') || scalar(model.services.get('redis')?.['command']);
  if (!/--appendonly\s+yes/.test(redisCommand ?? '')) problems.push(`${model.file}: compose service "redis" must run with --appendonly yes (weave needs persistence)`);
  const jaegerPorts = composePorts(model.services.get('jaeger')?.['ports']);
  if (!jaegerPorts.some((p) => p.target === 16686)) problems.push(`${model.file}: compose service "jaeger" should publish its UI port 16686`);
  return problems;
}

/** deploy/otel-collector.yaml is complete, and it listens where the compose services export to. */
function otelCollectorProblems(model: ComposeModel, yaml: YamlFile): string[] {
  const file = yaml.file;
  const problems = [...yaml.problems];
  const config = obj(yaml.docs[0]);
  const service = obj(config['service']);
  for (const extension of arr(service['extensions'])) {
    if (!(String(extension) in obj(config['extensions']))) problems.push(`${file}: service.extensions lists "${String(extension)}", which is not defined`);
  }
  const pipelines = Object.entries(obj(service['pipelines']));
  if (pipelines.length === 0) problems.push(`${file}: no pipelines`);
  for (const [pipeline, spec] of pipelines) {
    for (const section of ['receivers', 'processors', 'exporters']) {
      for (const id of arr(obj(spec)[section])) {
        if (!(String(id) in obj(config[section]))) problems.push(`${file}: pipeline ${pipeline} uses ${section} "${String(id)}", which is not defined`);
      }
    }
  }
  const httpEndpoint = scalar(obj(obj(obj(obj(config['receivers'])['otlp'])['protocols'])['http'])['endpoint']) ?? '';
  const httpPort = Number(httpEndpoint.split(':').pop());
  const collector = [...model.services].find(([, spec]) => arr(spec['volumes']).some((v) => (scalar(v) ?? scalar(obj(v)['source']) ?? '').includes('otel-collector.yaml')))?.[0];
  if (!collector) problems.push(`${model.file}: no service mounts ${file}`);
  for (const d of model.weave) {
    const endpoint = d.variables.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.value;
    if (!endpoint) continue;
    const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
    if (!url || url.hostname !== collector || Number(url.port) !== httpPort) {
      problems.push(`${at(d)}: OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}, but the collector "${String(collector)}" receives OTLP/HTTP on port ${httpPort} (${file})`);
    }
  }
  for (const [id, exporter] of Object.entries(obj(config['exporters']))) {
    const endpoint = scalar(obj(exporter)['endpoint']);
    if (!endpoint) continue;
    for (const host of hostsIn(endpoint)) {
      if (!model.services.has(host)) problems.push(`${file}: exporter ${id} sends to "${host}", which is not a service in ${model.file}`);
    }
  }
  return problems;
}

// ------------------------------------------------------------------------------------ kubernetes

interface K8sResource {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly body: Obj;
}

interface K8sDeployed extends DeployedService {
  readonly deployment: K8sResource;
  readonly pod: Obj;
  readonly container: Obj;
}

interface K8sModel {
  readonly resources: readonly K8sResource[];
  readonly configMaps: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly secrets: ReadonlyMap<string, ReadonlySet<string>>;
  readonly weave: readonly K8sDeployed[];
  readonly problems: readonly string[];
}

function k8sResources(yaml: YamlFile): { resources: K8sResource[]; problems: string[] } {
  const problems = [...yaml.problems];
  const resources: K8sResource[] = [];
  yaml.docs.forEach((doc, i) => {
    const body = obj(doc);
    const metadata = obj(body['metadata']);
    const kind = scalar(body['kind']);
    const name = scalar(metadata['name']);
    if (!scalar(body['apiVersion']) || !kind || !name) {
      problems.push(`${yaml.file}: document ${i + 1} needs apiVersion, kind and metadata.name`);
      return;
    }
    resources.push({ file: yaml.file, kind, name, namespace: scalar(metadata['namespace']), body });
  });
  return { resources, problems };
}

function k8sModel(files: readonly YamlFile[]): K8sModel {
  const problems: string[] = [];
  const resources: K8sResource[] = [];
  for (const file of files) {
    const parsed = k8sResources(file);
    resources.push(...parsed.resources);
    problems.push(...parsed.problems);
  }
  const configMaps = new Map<string, Map<string, string>>();
  const secrets = new Map<string, Set<string>>();
  for (const r of resources) {
    if (r.kind === 'ConfigMap') {
      const data = new Map<string, string>();
      for (const [key, value] of Object.entries(obj(r.body['data']))) {
        if (typeof value !== 'string') problems.push(`${r.file}: ConfigMap ${r.name}: ${key} must be a string (quote it), got ${typeof value}`);
        data.set(key, String(value));
      }
      configMaps.set(r.name, data);
    } else if (r.kind === 'Secret') {
      secrets.set(r.name, new Set([...Object.keys(obj(r.body['data'])), ...Object.keys(obj(r.body['stringData']))]));
    }
  }

  const weave: K8sDeployed[] = [];
  for (const deployment of resources.filter((r) => r.kind === 'Deployment')) {
    const pod = obj(obj(obj(deployment.body['spec'])['template'])['spec']);
    for (const container of arr(pod['containers']).map(obj)) {
      const label = `Deployment "${deployment.name}" container "${scalar(container['name']) ?? '?'}"`;
      const where = `${deployment.file}: ${label}`;
      const variables = new Map<string, ProvidedVariable>();
      for (const from of arr(container['envFrom']).map(obj)) {
        const prefix = scalar(from['prefix']) ?? '';
        const configMapName = scalar(obj(from['configMapRef'])['name']);
        const secretName = scalar(obj(from['secretRef'])['name']);
        if (configMapName !== undefined) {
          const data = configMaps.get(configMapName);
          if (!data) problems.push(`${where}: envFrom ConfigMap ${configMapName} is not in the manifests`);
          for (const [key, value] of data ?? []) {
            variables.set(prefix + key, { name: prefix + key, value, source: `ConfigMap ${configMapName}`, fromSecret: false });
          }
        }
        if (secretName !== undefined) {
          const keys = secrets.get(secretName);
          if (!keys) problems.push(`${where}: envFrom Secret ${secretName} is not in ${SECRET_TEMPLATE_FILE}`);
          for (const key of keys ?? []) {
            variables.set(prefix + key, { name: prefix + key, value: undefined, source: `Secret ${secretName}`, fromSecret: true });
          }
        }
      }
      for (const entry of arr(container['env']).map(obj)) {
        const name = scalar(entry['name']) ?? '';
        const valueFrom = obj(entry['valueFrom']);
        const configMapRef = obj(valueFrom['configMapKeyRef']);
        const secretRef = obj(valueFrom['secretKeyRef']);
        if (entry['value'] !== undefined) {
          if (typeof entry['value'] !== 'string') problems.push(`${where}: env ${name} must be a string (quote it)`);
          variables.set(name, { name, value: String(entry['value']), source: 'env', fromSecret: false });
        } else if (scalar(configMapRef['name']) !== undefined) {
          const mapName = scalar(configMapRef['name']) ?? '';
          const key = scalar(configMapRef['key']) ?? '';
          const value = configMaps.get(mapName)?.get(key);
          if (value === undefined) problems.push(`${where}: env ${name} reads ConfigMap ${mapName} key ${key}, which does not exist`);
          variables.set(name, { name, value, source: `ConfigMap ${mapName}`, fromSecret: false });
        } else if (scalar(secretRef['name']) !== undefined) {
          const secretName = scalar(secretRef['name']) ?? '';
          const key = scalar(secretRef['key']) ?? '';
          if (!secrets.get(secretName)?.has(key)) problems.push(`${where}: env ${name} reads Secret ${secretName} key ${key}, which ${SECRET_TEMPLATE_FILE} does not define`);
          variables.set(name, { name, value: undefined, source: `Secret ${secretName}`, fromSecret: true });
        } else {
          variables.set(name, { name, value: undefined, source: 'env valueFrom', fromSecret: false });
        }
      }
      const app = variables.get('WEAVE_APP');
      if (!app) continue;
      if (app.value === undefined) {
        problems.push(`${where}: WEAVE_APP must be a literal value`);
        continue;
      }
      weave.push({ file: deployment.file, label, service: app.value, variables, deployment, pod, container });
    }
  }
  return { resources, configMaps, secrets, weave, problems };
}

function kustomizationProblems(kustomization: YamlFile, resources: readonly K8sResource[]): string[] {
  const file = kustomization.file;
  const problems = [...kustomization.problems];
  const spec = obj(kustomization.docs[0]);
  const listed = arr(spec['resources']).map((r) => String(r));
  for (const resource of listed) {
    if (!existsSync(repoPath(`${K8S_DIR}/${resource}`))) problems.push(`${file}: resource ${resource} does not exist`);
  }
  const templateName = SECRET_TEMPLATE_FILE.slice(K8S_DIR.length + 1);
  if (listed.includes(templateName)) problems.push(`${file}: must not list ${templateName}; apply would overwrite the real Secret with placeholders`);
  for (const entry of readdirSync(repoPath(K8S_DIR))) {
    if (/\.ya?ml$/.test(entry) && entry !== 'kustomization.yaml' && entry !== templateName && !listed.includes(entry)) {
      problems.push(`${file}: ${K8S_DIR}/${entry} is not listed under resources`);
    }
  }
  const namespace = scalar(spec['namespace']);
  const images = new Set(arr(spec['images']).map((i) => scalar(obj(i)['name'])));
  for (const r of resources) {
    if (r.kind !== 'Namespace' && namespace !== undefined && r.namespace !== undefined && r.namespace !== namespace) {
      problems.push(`${r.file}: ${r.kind} ${r.name} is in namespace ${r.namespace}, the kustomization uses ${namespace}`);
    }
    if (r.kind !== 'Deployment') continue;
    for (const container of arr(obj(obj(obj(r.body['spec'])['template'])['spec'])['containers']).map(obj)) {
      const image = (scalar(container['image']) ?? '').replace(/[:@].*$/, '');
      if (!images.has(image)) problems.push(`${r.file}: Deployment ${r.name} uses image "${image}", which kustomization images[] does not name`);
    }
  }
  return problems;
}

function probePort(probe: unknown): number | undefined {
  const grpc = obj(obj(probe)['grpc']);
  return grpc['port'] === undefined ? undefined : Number(grpc['port']);
}

function preStopSeconds(container: Obj): number {
  const preStop = obj(obj(container['lifecycle'])['preStop']);
  const sleep = scalar(obj(preStop['sleep'])['seconds']);
  if (sleep !== undefined) return Number(sleep);
  const command = arr(obj(preStop['exec'])['command']).map(scalar).join(' ');
  const match = /\bsleep\s+(\d+)/.exec(command);
  return match ? Number(match[1]) : 0;
}

function selects(selector: Obj, labels: Obj): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** Variables, ports, probes, Services, shutdown, security and resources of each Deployment. */
function k8sDeploymentProblems(model: K8sModel, definitions: readonly Definition[]): string[] {
  const problems: string[] = [];
  for (const d of model.weave) {
    const definition = definitionFor(d, definitions);
    if (!definition) continue; // reported by coverageProblems
    problems.push(...variableProblems(d, definition));
    const declared = declaredVariables(definition);
    for (const provided of d.variables.values()) {
      if (declared.get(provided.name)?.secret && !provided.fromSecret) {
        problems.push(`${at(d)}: ${provided.name} is a secret in libs/config but comes from ${provided.source}; read it from the Secret`);
      }
    }

    const spec = obj(d.deployment.body['spec']);
    const podLabels = obj(obj(obj(spec['template'])['metadata'])['labels']);
    if (!selects(obj(obj(spec['selector'])['matchLabels']), podLabels)) problems.push(`${at(d)}: spec.selector.matchLabels does not match the pod labels`);
    if (!scalar(d.container['image'])) problems.push(`${at(d)}: no image`);

    // One gRPC port everywhere: GRPC_LISTEN_ADDR, containerPort, probes, Service.
    const grpc = grpcPort(d, definition);
    problems.push(...grpc.problems);
    const containerPorts = arr(d.container['ports']).map(obj);
    if (grpc.port !== undefined) {
      const listenName = definition.variables['grpcListenAddr']?.name ?? 'GRPC_LISTEN_ADDR';
      if (!containerPorts.some((p) => Number(p['containerPort']) === grpc.port)) {
        problems.push(`${at(d)}: no containerPort ${grpc.port} (${listenName})`);
      }
      const health = healthPort(d, definition);
      const probed = health ?? grpc.port;
      const probedName = health === undefined ? listenName : 'GRPC_HEALTH_LISTEN_ADDR';
      if (health !== undefined && !containerPorts.some((p) => Number(p['containerPort']) === health)) {
        problems.push(`${at(d)}: no containerPort ${health} (GRPC_HEALTH_LISTEN_ADDR)`);
      }
      for (const probeName of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const probe = d.container[probeName];
        if (probe === undefined && probeName === 'startupProbe') continue;
        const port = probePort(probe);
        if (probe === undefined || port === undefined) problems.push(`${at(d)}: needs a gRPC ${probeName} (grpc: port: ${probed})`);
        else if (port !== probed) problems.push(`${at(d)}: ${probeName} probes port ${port}, but ${probedName} listens on ${probed}`);
      }
      const services = model.resources.filter((r) => r.kind === 'Service' && selects(obj(obj(r.body['spec'])['selector']), podLabels));
      if (services.length === 0) problems.push(`${at(d)}: no Service selects its pods`);
      for (const service of services) {
        const serviceSpec = obj(service.body['spec']);
        const type = scalar(serviceSpec['type']) ?? 'ClusterIP';
        if (type !== 'ClusterIP') problems.push(`${service.file}: Service ${service.name} is ${type}, expected ClusterIP`);
        for (const port of arr(serviceSpec['ports']).map(obj)) {
          const target = port['targetPort'] ?? port['port'];
          const resolved =
            typeof target === 'string' ? Number(containerPorts.find((p) => p['name'] === target)?.['containerPort']) : Number(target);
          if (resolved !== grpc.port) {
            problems.push(`${service.file}: Service ${service.name} targets port ${String(target)} of ${d.label}, but ${listenName} listens on ${grpc.port}`);
          }
        }
      }
    }

    // SIGKILL comes terminationGracePeriodSeconds after the preStop hook starts.
    const shutdown = shutdownSeconds(d, definition);
    const grace = d.pod['terminationGracePeriodSeconds'];
    const preStop = preStopSeconds(d.container);
    if (typeof grace !== 'number') problems.push(`${at(d)}: set terminationGracePeriodSeconds (longer than SHUTDOWN_TIMEOUT_MS)`);
    else if (shutdown !== undefined && grace <= shutdown + preStop) {
      problems.push(`${at(d)}: terminationGracePeriodSeconds ${grace} must exceed SHUTDOWN_TIMEOUT_MS (${shutdown}s) plus the preStop pause (${preStop}s)`);
    }

    const podSecurity = obj(d.pod['securityContext']);
    const containerSecurity = obj(d.container['securityContext']);
    if ((containerSecurity['runAsNonRoot'] ?? podSecurity['runAsNonRoot']) !== true) problems.push(`${at(d)}: set securityContext.runAsNonRoot: true`);
    if ((containerSecurity['runAsUser'] ?? podSecurity['runAsUser']) === 0) problems.push(`${at(d)}: runAsUser 0 is root`);

    const resources = obj(d.container['resources']);
    for (const [section, key] of [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'memory']] as const) {
      if (obj(resources[section])[key] === undefined) problems.push(`${at(d)}: set resources.${section}.${key}`);
    }
  }
  return problems;
}

/** The Secret template's keys are variables, and its placeholders can never pass for real values. */
function secretTemplateProblems(template: YamlFile, definitions: readonly Definition[]): string[] {
  const problems: string[] = [];
  const { resources } = k8sResources(template);
  for (const secret of resources.filter((r) => r.kind === 'Secret')) {
    for (const [key, value] of Object.entries(obj(secret.body['stringData']))) {
      const variables = definitions.flatMap((def) => Object.values(def.variables).filter((v) => v.name === key));
      if (variables.length === 0) problems.push(`${template.file}: Secret ${secret.name} key ${key} is not a variable of any service`);
      for (const variable of variables) {
        if (!variable.secret) problems.push(`${template.file}: ${key} is in the Secret but not marked secret in libs/config`);
        if (variable.schema.safeParse(String(value)).success) {
          problems.push(`${template.file}: the placeholder for ${key} is a valid value; make it one that fails loudly if applied`);
        }
      }
    }
  }
  return [...new Set(problems)];
}

function k8sFiles(): { kustomization: YamlFile; files: YamlFile[]; template: YamlFile } {
  const kustomization = readYaml(KUSTOMIZATION_FILE);
  const listed = arr(obj(kustomization.docs[0])['resources']).map((r) => `${K8S_DIR}/${String(r)}`);
  const files = listed.filter((f) => existsSync(repoPath(f))).map(readYaml);
  return { kustomization, files, template: readYaml(SECRET_TEMPLATE_FILE) };
}

function k8sProblems(files: readonly YamlFile[], template: YamlFile, definitions: readonly Definition[]): string[] {
  const model = k8sModel([...files, template]);
  return [...model.problems, ...coverageProblems(K8S_DIR, 'Deployment', model.weave, definitions), ...k8sDeploymentProblems(model, definitions)];
}

// ------------------------------------------------------------------------------------ Dockerfile

function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of instructions) {
    const [instruction = '', ...words] = line.split(/\s+/);
    if (instruction.toUpperCase() !== 'COPY' || words.some((w) => w.startsWith('--from'))) continue;
    const sources = words.filter((w) => !w.startsWith('--')).slice(0, -1);
    for (const source of sources) {
      if (!existsSync(repoPath(source))) problems.push(`${DOCKERFILE}: COPY ${source}: no such path in the repository`);
    }
  }
  const entrypoint = instructions.find((l) => /^ENTRYPOINT\b/i.test(l)) ?? '';
  for (const match of entrypoint.matchAll(/-r \.\/(\S+?)(?=\s|\\|")/g)) {
    if (!existsSync(repoPath(match[1] ?? ''))) problems.push(`${DOCKERFILE}: the entrypoint preloads ${match[1] ?? ''}, which does not exist`);
  }
  if (!entrypoint.includes('apps/${WEAVE_APP')) problems.push(`${DOCKERFILE}: the entrypoint must run apps/$WEAVE_APP/src/main.ts`);
  if (!instructions.some((l) => /^ARG WEAVE_APP\b/.test(l))) problems.push(`${DOCKERFILE}: needs ARG WEAVE_APP`);
  const users = instructions.filter((l) => /^USER\b/i.test(l));
  if (users.length === 0 || /^USER\s+(root|0)\b/i.test(users[users.length - 1] ?? '')) problems.push(`${DOCKERFILE}: must end as a non-root USER`);
  return problems;
}

// ------------------------------------------------------------------------------------ tests

describe('deploy manifests match libs/config', () => {
  it('serviceConfigs has services to check', () => {
    expect(serviceConfigs.length).toBeGreaterThan(0);
  });

  describe(COMPOSE_FILE, () => {
    const yaml = readYaml(COMPOSE_FILE);
    const model = composeModel(COMPOSE_FILE, yaml, serviceConfigs);

    it('is one well-formed Compose document (no tabs, duplicate keys, unknown keys or `version:`)', () => {
      expect([...model.problems, ...composeStructureProblems(model, yaml)]).toEqual([]);
    });

    it('runs exactly the services in serviceConfigs, under their own names', () => {
      expect(coverageProblems(COMPOSE_FILE, 'compose service', model.weave, serviceConfigs)).toEqual([]);
    });

    it('gives each service only declared variables, all required ones, valid values, its gRPC port and what it waits for', () => {
      expect(composeServiceProblems(model, serviceConfigs)).toEqual([]);
    });

    it('runs Kafka with the local broker settings, and Redis with AOF', () => {
      expect([...composeKafkaProblems(model), ...composeInfrastructureProblems(model)]).toEqual([]);
    });

    it(`sends traces to a collector configured by ${OTEL_FILE}`, () => {
      expect(otelCollectorProblems(model, readYaml(OTEL_FILE))).toEqual([]);
    });
  });

  describe(K8S_DIR, () => {
    const { kustomization, files, template } = k8sFiles();
    const model = k8sModel([...files, template]);

    it('lists every manifest in kustomization.yaml (except the Secret template), and they parse', () => {
      expect([...kustomizationProblems(kustomization, model.resources), ...model.problems]).toEqual([]);
    });

    it('has one Deployment per service in serviceConfigs', () => {
      expect(coverageProblems(K8S_DIR, 'Deployment', model.weave, serviceConfigs)).toEqual([]);
    });

    it('gives each Deployment only declared variables, all required ones, valid values and secrets from the Secret; one gRPC port for probes and Service; a long enough grace period; non-root', () => {
      expect(k8sDeploymentProblems(model, serviceConfigs)).toEqual([]);
    });

    it('has a Secret template whose keys are secret variables and whose placeholders are invalid', () => {
      expect([...template.problems, ...secretTemplateProblems(template, serviceConfigs)]).toEqual([]);
    });
  });

  it(`${DOCKERFILE} copies paths that exist and runs apps/$WEAVE_APP as non-root`, () => {
    expect(dockerfileProblems(readFileSync(repoPath(DOCKERFILE), 'utf8'))).toEqual([]);
  });
});

describe('the deploy manifest checks catch mistakes', () => {
  const gateway = serviceConfigs.find((d) => d.service === 'gateway');
  const police = serviceConfigs.find((d) => d.service === 'adapter-police');
  if (!gateway || !police) throw new Error('these examples use the gateway and adapter-police configurations');

  it('reports a misspelled variable, naming the file, the service and the variable', () => {
    const compose = parseYaml(
      'in-memory compose.yaml',
      [
        'services:',
        '  kafka:',
        '    image: apache/kafka:3.9.2',
        '  gateway:',
        '    build: { context: .., dockerfile: deploy/Dockerfile, args: { WEAVE_APP: gateway } }',
        '    environment:',
        '      KAFKA_BROKER: kafka:9092',
        '      GRPC_LISTEN_ADDR: 0.0.0.0:50051',
        '    ports: ["127.0.0.1:50051:50051"]',
        '    depends_on: [kafka]',
        '    stop_grace_period: 20s',
      ].join('\n'),
    );
    expect(composeProblems(compose.file, compose, [gateway])).toEqual([
      'in-memory compose.yaml: compose service "gateway": KAFKA_BROKER (from environment) is not declared by gateway in ' +
        'libs/config/src/services/gateway.config.ts (did you mean KAFKA_BROKERS?)',
    ]);
  });

  it('reports a variable renamed in libs/config but not in the manifests', () => {
    const renamed = serviceConfigs.map(
      (d): Definition => ({
        service: d.service,
        variables: Object.fromEntries(
          Object.entries(d.variables).map(([key, v]) => [key, v.name === 'KAFKA_BROKERS' ? { ...v, name: 'KAFKA_BOOTSTRAP_SERVERS' } : v]),
        ),
      }),
    );
    const composeReport = composeProblems(COMPOSE_FILE, readYaml(COMPOSE_FILE), renamed);
    const { files, template } = k8sFiles();
    const k8sReport = k8sProblems(files, template, renamed);
    for (const definition of renamed) {
      expect(composeReport).toContainEqual(
        `${COMPOSE_FILE}: compose service "${definition.service}": KAFKA_BROKERS (from environment) is not declared by ${definition.service} in libs/config/src/services/${definition.service}.config.ts`,
      );
      expect(k8sReport).toContainEqual(
        expect.stringMatching(new RegExp(`^deploy/k8s/\\S+: Deployment "${definition.service}" .*: KAFKA_BROKERS \\(from ConfigMap weave-common\\) is not declared`)),
      );
    }
  });

  it('reports a service added to serviceConfigs without manifests', () => {
    const withCasework: readonly Definition[] = [...serviceConfigs, { service: 'casework', variables: {} }];
    const { files, template } = k8sFiles();
    expect(composeProblems(COMPOSE_FILE, readYaml(COMPOSE_FILE), withCasework)).toContain(
      `${COMPOSE_FILE}: no compose service runs service "casework" (declared in libs/config/src/services)`,
    );
    expect(k8sProblems(files, template, withCasework)).toContain(`${K8S_DIR}: no Deployment runs service "casework" (declared in libs/config/src/services)`);
  });

  it('reports a missing required variable, a wrong probe port, a plain-text secret and a short grace period', () => {
    const deployment = parseYaml(
      'in-memory police.yaml',
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: adapter-police }',
        'spec:',
        '  selector: { matchLabels: { app: police } }',
        '  template:',
        '    metadata: { labels: { app: police } }',
        '    spec:',
        '      terminationGracePeriodSeconds: 10',
        '      securityContext: { runAsNonRoot: true }',
        '      containers:',
        '        - name: adapter-police',
        '          image: weave:latest',
        '          env:',
        '            - { name: WEAVE_APP, value: adapter-police }',
        '            - { name: GRPC_LISTEN_ADDR, value: "0.0.0.0:50061" }',
        '            - { name: REDIS_URL, value: "redis://redis:6379" }',
        '          ports: [{ name: grpc, containerPort: 50061 }]',
        '          readinessProbe: { grpc: { port: 50062 } }',
        '          livenessProbe: { grpc: { port: 50061 } }',
        '          resources: { requests: { cpu: 100m, memory: 256Mi }, limits: { memory: 512Mi } }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: adapter-police }',
        'spec: { selector: { app: police }, ports: [{ port: 50061, targetPort: grpc }] }',
      ].join('\n'),
    );
    const at = 'in-memory police.yaml: Deployment "adapter-police" container "adapter-police"';
    expect(k8sProblems([deployment], parseYaml('no template', ''), [police])).toEqual([
      `${at}: required variable WEAVE_PSEUDONYM_KEY of adapter-police is not provided (${police.variables['pseudonymKey']?.description ?? ''})`,
      `${at}: REDIS_URL is a secret in libs/config but comes from env; read it from the Secret`,
      `${at}: readinessProbe probes port 50062, but GRPC_LISTEN_ADDR listens on 50061`,
      `${at}: terminationGracePeriodSeconds 10 must exceed SHUTDOWN_TIMEOUT_MS (10s) plus the preStop pause (0s)`,
    ]);
  });
});

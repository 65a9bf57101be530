/**
 * Kafka topic names. Convention: `weave.<zone>.<name>.v<major>`, lower case, dotted.
 *
 * - `ingress.<system>`   an adapter publishes its agency's canonical events here; only the
 *                        gateway consumes ingress topics.
 * - `egress.<recipient>` the gateway republishes, minimised per policy, to one recipient
 *                        unit type; only that recipient's adapter reads it.
 * - `<service>.<stream>` streams owned by a platform service (intake, casework, gateway).
 * - `dlq.<group>`        dead letters of one consumer group, with the reason in headers.
 *
 * The major version changes only with an incompatible envelope or partitioning change;
 * payload evolution is versioned by the event type instead.
 */
const TOPIC_NAME = /^weave(\.[a-z0-9][a-z0-9-]*)+\.v[1-9][0-9]*$/;

function topicName(...parts: string[]): string {
  const name = ['weave', ...parts].join('.');
  if (!TOPIC_NAME.test(name) || name.length > 249) {
    throw new Error(`invalid topic name "${name}": expected weave.<zone>.<name>.v<major> in [a-z0-9-]`);
  }
  return name;
}

export function ingressTopic(system: string): string {
  return topicName('ingress', system, 'v1');
}

export function egressTopic(recipient: string): string {
  return topicName('egress', recipient, 'v1');
}

export function deadLetterTopic(consumerGroup: string): string {
  return topicName('dlq', consumerGroup, 'v1');
}

export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name.length <= 249;
}

/** The platform's fixed topics. Per-consumer dead-letter topics are derived from group ids. */
export const Topics = {
  PoliceIngress: ingressTopic('police'),
  ProtectionEgress: egressTopic('protection'),
  IntakeIngress: ingressTopic('intake'),
  IntakeEgress: egressTopic('intake'),
  IntakeDispatches: topicName('intake', 'dispatches', 'v1'),
  CaseworkMemberships: topicName('casework', 'memberships', 'v1'),
  GatewayDisclosures: topicName('gateway', 'disclosures', 'v1'),
  GatewayConsents: topicName('gateway', 'consents', 'v1'),
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Why the topic exists, for the catalogue printed by `tools/ensure-kafka.ts`. */
  readonly purpose: string;
}

/** Every platform topic with its partitioning; created explicitly before any consumer starts. */
export const TopicCatalogue: readonly TopicSpec[] = [
  { name: Topics.PoliceIngress, partitions: 3, purpose: 'police adapter -> gateway: canonical police events' },
  { name: Topics.ProtectionEgress, partitions: 3, purpose: 'gateway -> protection adapter: disclosed events' },
  { name: Topics.IntakeIngress, partitions: 3, purpose: 'intake -> gateway: co-involvement signals' },
  { name: Topics.IntakeEgress, partitions: 3, purpose: 'gateway -> intake: reports for screening' },
  { name: Topics.IntakeDispatches, partitions: 3, purpose: 'intake -> gateway, casework: dispatches (need-to-know)' },
  { name: Topics.CaseworkMemberships, partitions: 3, purpose: 'casework -> gateway: case membership (need-to-know)' },
  { name: Topics.GatewayDisclosures, partitions: 3, purpose: 'gateway: every disclosure-ledger entry' },
  { name: Topics.GatewayConsents, partitions: 3, purpose: 'gateway: consent granted and withdrawn' },
];

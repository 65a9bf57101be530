import type { Kafka } from 'kafkajs';

export interface TopicRequest {
  readonly name: string;
  readonly partitions: number;
}

/**
 * Creates the topics that do not exist yet and waits until every partition has a leader,
 * because a consumer that joins before that sees no partitions and silently reads nothing.
 * The broker runs with auto.create.topics.enable=false, so this is the only way in.
 *
 * On a broker with ACLs, a client needs CREATE only for topics that do not exist yet: existing
 * topics it may describe (any grant on a topic implies DESCRIBE) are listed and left alone.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly TopicRequest[], timeoutMs = 30_000): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          timeout: timeoutMs,
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
        });
      } catch (err) {
        const types = errorTypes(err);
        if (types.some((t) => t.endsWith('AUTHORIZATION_FAILED'))) {
          throw new Error(
            `not allowed to create topic(s) ${missing.map((t) => t.name).join(', ')} (${[...new Set(types)].join(', ')}): ` +
              'on a broker with ACLs the operator creates the topics (tools/ensure-kafka.ts) and a service may create only the ' +
              "dead-letter topics of its own consumer groups (deploy/local/kafka/acls.yaml); a topic the client cannot describe looks missing too",
          );
        }
        // Another process may have created one meanwhile; the leader check below decides.
        const alreadyExists = types.length > 0 ? types.every((t) => t === 'TOPIC_ALREADY_EXISTS') : err instanceof Error && /already exists/i.test(err.message);
        if (!alreadyExists) throw err;
      }
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
      const leaderless = metadata.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0) break;
      if (Date.now() > deadline) {
        throw new Error(`topics without leaders after ${timeoutMs} ms: ${leaderless.map((t) => t.name).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}

/** kafkajs error types of an error, including each topic's in an aggregate ("Topic creation errors"). */
function errorTypes(err: unknown): string[] {
  if (!(err instanceof Error)) return [];
  const own = (err as { type?: unknown }).type;
  const nested = (err as { errors?: unknown }).errors;
  return [...(typeof own === 'string' ? [own] : []), ...(Array.isArray(nested) ? nested.flatMap(errorTypes) : [])];
}

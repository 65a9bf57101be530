export { expectEventually } from './expect-eventually';
export { REPO_ROOT, ServiceProcess, checkHealth, freePort, waitUntilServing, type ServiceProcessOptions } from './service-process';
export { createTestPki, openPki, type TestCertificate, type TestPki } from './test-pki';
export { incidentIdOf, sampleIncidentEnvelope } from './sample-events';
export { serviceKafkaEnv, serviceKafkaTls, testStack, uniqueName, uniqueSchema, type KafkaTls, type TestStack } from './test-stack';
export { readSpans, type ExportedSpan } from './trace-files';

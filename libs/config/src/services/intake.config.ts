import { z } from 'zod';
import { defineServiceConfig, envVar } from '../env-var';
import {
  grpcServerVariables,
  kafkaConsumerVariables,
  kafkaVariables,
  postgresVariables,
  pseudonymVariables,
  shutdownVariables,
  telemetryVariables,
} from '../groups';
import { hostPort, optionalPath, positiveInt } from '../parsers';

export const intakeConfig = defineServiceConfig('intake', {
  ...kafkaVariables('intake'),
  ...kafkaConsumerVariables('intake-reports'),
  ...postgresVariables('intake'),
  ...grpcServerVariables('127.0.0.1:50071'),
  ...telemetryVariables('intake'),
  ...pseudonymVariables(),
  ...shutdownVariables(),
  httpListenAddr: envVar({
    name: 'INTAKE_HTTP_LISTEN_ADDR',
    description: 'address of the HTTP/JSON reporting endpoint (national online platform shape), /metrics and /healthz',
    defaultValue: '127.0.0.1:8071',
    schema: hostPort,
  }),
  unitId: envVar({
    name: 'INTAKE_UNIT_ID',
    description: 'the intake and dispatch centre this service is (a unit of the directory)',
    defaultValue: 'nantou-intake-centre',
    schema: z.string().min(1),
  }),
  screeningRulesFile: envVar({
    name: 'INTAKE_SCREENING_RULES_FILE',
    description: 'screening rules (YAML): categories, risk lights, the rules that fire',
    defaultValue: 'rules/screening-rules.yaml',
    schema: z.string().min(1),
  }),
  routingTableFile: envVar({
    name: 'INTAKE_ROUTING_TABLE_FILE',
    description: "dispatch routing table (YAML): the county's geography, routes, deadlines, escalation",
    defaultValue: 'rules/dispatch-routing.nantou.yaml',
    schema: z.string().min(1),
  }),
  directoryFile: envVar({
    name: 'INTAKE_DIRECTORY_FILE',
    description: 'unit directory (YAML), for supervisors on escalation',
    defaultValue: 'policies/directory.yaml',
    schema: z.string().min(1),
  }),
  registryFile: envVar({
    name: 'INTAKE_REGISTRY_FILE',
    description: 'household registry snapshot (JSON lines) the person index starts from; read at boot, never stored',
    defaultValue: '',
    schema: optionalPath,
  }),
  maxBatch: envVar({
    name: 'INTAKE_MAX_BATCH',
    description: 'reports linked, screened and stored in one transaction',
    defaultValue: '500',
    schema: positiveInt,
  }),
  escalationIntervalMs: envVar({
    name: 'INTAKE_ESCALATION_INTERVAL_MS',
    description: 'how often overdue dispatches are looked for and escalated',
    defaultValue: '10000',
    schema: positiveInt,
  }),
});

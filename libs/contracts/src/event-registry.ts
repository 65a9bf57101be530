import { DataCategory } from './generated/weave/common/v1/data_category';
import { SubjectRole } from './generated/weave/common/v1/envelope';
import { IncidentKind, IncidentRecorded } from './generated/weave/police/v1/incident';
import { CaseMembershipChanged, MembershipChange, MembershipRole } from './generated/weave/casework/v1/membership';
import { BreakGlassUsed, ConsentChanged, DisclosureKind, DisclosureRecorded } from './generated/weave/gateway/v1/events';
import { ReportDispatched } from './generated/weave/intake/v1/dispatch';
import { CoInvolvementDetected, ReportChannel, ReportSubmitted } from './generated/weave/intake/v1/report';
import { EventTypes, type EventType } from './event-types';

/** The part of a ts-proto message codec that the bus needs. */
export interface PayloadCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  toJSON(message: T): unknown;
  fromJSON(object: unknown): T;
}

export interface EventDefinition<T> {
  readonly type: EventType;
  readonly schemaVersion: number;
  /** Fully qualified protobuf message name of the payload. */
  readonly payloadType: string;
  readonly codec: PayloadCodec<T>;
  /** Categories of personal data this payload can carry; the envelope must list them. */
  readonly dataCategories: readonly DataCategory[];
  /** Field-level problems of a decoded payload; empty when valid. */
  validate(payload: T): string[];
  /**
   * The category of each top-level payload field (protobuf JSON name), for field-level
   * minimisation when the gateway forwards the event; fields not listed belong to the
   * first of dataCategories.
   */
  readonly fieldCategories?: Readonly<Record<string, DataCategory>>;
}

const PSEUDONYM = /^p1_[a-z2-7]{26}$/;

function validateIncidentRecorded(p: IncidentRecorded): string[] {
  const problems: string[] = [];
  if (!p.incidentId) problems.push('incident_id: required');
  if (p.kind === IncidentKind.INCIDENT_KIND_UNSPECIFIED || p.kind === IncidentKind.UNRECOGNIZED) {
    problems.push('kind: required');
  }
  if (!/^[0-9]{8}$/.test(p.townshipCode)) problems.push('township_code: expected 8-digit township code');
  if (p.persons.length === 0) problems.push('persons: at least one person');
  p.persons.forEach((person, i) => {
    if (!PSEUDONYM.test(person.pseudonym)) problems.push(`persons[${i}].pseudonym: expected a person pseudonym`);
    if (person.role === SubjectRole.SUBJECT_ROLE_UNSPECIFIED) problems.push(`persons[${i}].role: required`);
  });
  if (!p.occurredAt) problems.push('occurred_at: required');
  return problems;
}

export const PoliceIncidentRecordedEvent: EventDefinition<IncidentRecorded> = {
  type: EventTypes.PoliceIncidentRecorded,
  schemaVersion: 1,
  payloadType: 'weave.police.v1.IncidentRecorded',
  codec: IncidentRecorded,
  dataCategories: [DataCategory.DATA_CATEGORY_POLICE_INCIDENT],
  validate: validateIncidentRecorded,
};

function subjectProblems(field: string, subjects: readonly { pseudonym: string; role: SubjectRole }[]): string[] {
  return subjects.flatMap((s, i) =>
    PSEUDONYM.test(s.pseudonym) ? [] : [`${field}[${i}].pseudonym: expected a person pseudonym`],
  );
}

const FAMILY = /^f1_[a-z2-7]{26}$/;

export const IntakeReportDispatchedEvent: EventDefinition<ReportDispatched> = {
  type: EventTypes.IntakeReportDispatched,
  schemaVersion: 1,
  payloadType: 'weave.intake.v1.ReportDispatched',
  codec: ReportDispatched,
  dataCategories: [],
  validate: (p) => [
    ...(p.reportId ? [] : ['report_id: required']),
    ...(p.dispatchId ? [] : ['dispatch_id: required']),
    ...(p.unitId ? [] : ['unit_id: required']),
    ...(p.familyPseudonym === '' || FAMILY.test(p.familyPseudonym) ? [] : ['family_pseudonym: expected a family pseudonym']),
    ...(p.subjects.length > 0 ? [] : ['subjects: at least one']),
    ...subjectProblems('subjects', p.subjects),
    ...(p.dispatchedAt ? [] : ['dispatched_at: required']),
  ],
};

export const CaseworkMembershipChangedEvent: EventDefinition<CaseMembershipChanged> = {
  type: EventTypes.CaseworkMembershipChanged,
  schemaVersion: 1,
  payloadType: 'weave.casework.v1.CaseMembershipChanged',
  codec: CaseMembershipChanged,
  dataCategories: [],
  validate: (p) => [
    ...(p.caseId ? [] : ['case_id: required']),
    ...(p.unitId ? [] : ['unit_id: required']),
    ...(p.familyPseudonym === '' || FAMILY.test(p.familyPseudonym) ? [] : ['family_pseudonym: expected a family pseudonym']),
    ...(p.role === MembershipRole.MEMBERSHIP_ROLE_LEAD || p.role === MembershipRole.MEMBERSHIP_ROLE_COLLABORATOR ? [] : ['role: LEAD or COLLABORATOR']),
    ...(p.change === MembershipChange.MEMBERSHIP_CHANGE_JOINED || p.change === MembershipChange.MEMBERSHIP_CHANGE_LEFT ? [] : ['change: JOINED or LEFT']),
    ...subjectProblems('subjects', p.subjects),
    ...(p.effectiveAt ? [] : ['effective_at: required']),
  ],
};

export const GatewayDisclosureRecordedEvent: EventDefinition<DisclosureRecorded> = {
  type: EventTypes.GatewayDisclosureRecorded,
  schemaVersion: 1,
  payloadType: 'weave.gateway.v1.DisclosureRecorded',
  codec: DisclosureRecorded,
  dataCategories: [],
  validate: (p) => [
    ...(p.entryId ? [] : ['entry_id: required']),
    ...(p.kind === DisclosureKind.DISCLOSURE_KIND_UNSPECIFIED ? ['kind: required'] : []),
    ...(/^[0-9a-f]{64}$/.test(p.entryHash) ? [] : ['entry_hash: expected sha-256 hex']),
  ],
};

function consentChangedDefinition(type: EventType): EventDefinition<ConsentChanged> {
  return {
    type,
    schemaVersion: 1,
    payloadType: 'weave.gateway.v1.ConsentChanged',
    codec: ConsentChanged,
    dataCategories: [],
    validate: (p) => [
      ...(p.consent?.consentId ? [] : ['consent.consent_id: required']),
      ...(p.consent && PSEUDONYM.test(p.consent.subjectPseudonym) ? [] : ['consent.subject_pseudonym: expected a person pseudonym']),
    ],
  };
}

export const GatewayConsentGrantedEvent = consentChangedDefinition(EventTypes.GatewayConsentGranted);
export const GatewayConsentWithdrawnEvent = consentChangedDefinition(EventTypes.GatewayConsentWithdrawn);

export const GatewayBreakGlassUsedEvent: EventDefinition<BreakGlassUsed> = {
  type: EventTypes.GatewayBreakGlassUsed,
  schemaVersion: 1,
  payloadType: 'weave.gateway.v1.BreakGlassUsed',
  codec: BreakGlassUsed,
  dataCategories: [],
  validate: (p) => [
    ...(p.grantId ? [] : ['grant_id: required']),
    ...(p.requesterUnit ? [] : ['requester_unit: required']),
    ...(PSEUDONYM.test(p.subjectPseudonym) ? [] : ['subject_pseudonym: expected a person pseudonym']),
  ],
};

const TOWNSHIP_CODE = /^[0-9]{8}$/;

function validateReportSubmitted(p: ReportSubmitted): string[] {
  const problems: string[] = [];
  if (!p.reportId) problems.push('report_id: required');
  if (p.channel === ReportChannel.REPORT_CHANNEL_UNSPECIFIED || p.channel === ReportChannel.UNRECOGNIZED) problems.push('channel: required');
  if (!p.category) problems.push('category: required');
  if (!TOWNSHIP_CODE.test(p.townshipCode)) problems.push('township_code: expected 8-digit township code');
  if (p.persons.length === 0) problems.push('persons: at least one person');
  p.persons.forEach((person, i) => {
    if (person.role === SubjectRole.SUBJECT_ROLE_UNSPECIFIED) problems.push(`persons[${i}].role: required`);
    if (person.pseudonym !== '' && !PSEUDONYM.test(person.pseudonym)) problems.push(`persons[${i}].pseudonym: expected a person pseudonym`);
    if (person.pseudonym === '' && person.name === '' && person.birthDate === '') problems.push(`persons[${i}]: a pseudonym, or a name or birth date to link on`);
  });
  if (!p.occurredAt) problems.push('occurred_at: required');
  return problems;
}

/**
 * A report to the intake centre: who (identity, needed to screen and link) and what the
 * reporter saw. Everything is identity-category, which policy releases to the intake centre
 * for intake screening only (R02; the reporters' legal reporting duty).
 */
export const IntakeReportSubmittedEvent: EventDefinition<ReportSubmitted> = {
  type: EventTypes.IntakeReportSubmitted,
  schemaVersion: 1,
  payloadType: 'weave.intake.v1.ReportSubmitted',
  codec: ReportSubmitted,
  dataCategories: [DataCategory.DATA_CATEGORY_IDENTITY],
  validate: validateReportSubmitted,
};

export const IntakeCoInvolvementDetectedEvent: EventDefinition<CoInvolvementDetected> = {
  type: EventTypes.IntakeCoInvolvementDetected,
  schemaVersion: 1,
  payloadType: 'weave.intake.v1.CoInvolvementDetected',
  codec: CoInvolvementDetected,
  // Which units work with a family says something about the family: household-level identity.
  dataCategories: [DataCategory.DATA_CATEGORY_HOUSEHOLD_COMPOSITION],
  validate: (p) => [
    ...(FAMILY.test(p.familyPseudonym) ? [] : ['family_pseudonym: expected a family pseudonym']),
    ...(p.unitIds.length >= 2 ? [] : ['unit_ids: at least two units']),
    ...(p.newUnitId ? [] : ['new_unit_id: required']),
    ...(p.detectedAt ? [] : ['detected_at: required']),
  ],
};

const definitions: ReadonlyMap<string, EventDefinition<unknown>> = new Map<string, EventDefinition<unknown>>(
  [
    PoliceIncidentRecordedEvent,
    IntakeReportSubmittedEvent,
    IntakeReportDispatchedEvent,
    IntakeCoInvolvementDetectedEvent,
    CaseworkMembershipChangedEvent,
    GatewayDisclosureRecordedEvent,
    GatewayConsentGrantedEvent,
    GatewayConsentWithdrawnEvent,
    GatewayBreakGlassUsedEvent,
  ].map((d) => [d.type, d as EventDefinition<unknown>]),
);

export function findEventDefinition(eventType: string): EventDefinition<unknown> | undefined {
  return definitions.get(eventType);
}

export function registeredEventTypes(): string[] {
  return [...definitions.keys()];
}

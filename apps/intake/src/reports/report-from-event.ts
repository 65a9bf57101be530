import {
  EventTypes,
  IncidentKind,
  ReportChannel,
  SchoolStatus,
  SubjectRole,
  type DecodedEvent,
  type IncidentRecorded,
  type ReportSubmitted,
} from '@weave/contracts';
import type { IntakeReport, PersonRoleName, ReportChannelName, SchoolStatusName } from './intake-report';

const CHANNELS: Record<number, ReportChannelName> = {
  [ReportChannel.REPORT_CHANNEL_POLICE]: 'police',
  [ReportChannel.REPORT_CHANNEL_SCHOOL]: 'school',
  [ReportChannel.REPORT_CHANNEL_HOSPITAL]: 'hospital',
  [ReportChannel.REPORT_CHANNEL_MENTAL_HEALTH]: 'mental-health',
  [ReportChannel.REPORT_CHANNEL_EMPLOYMENT]: 'employment',
  [ReportChannel.REPORT_CHANNEL_WELFARE]: 'welfare',
  [ReportChannel.REPORT_CHANNEL_PUBLIC_ONLINE]: 'public-online',
  [ReportChannel.REPORT_CHANNEL_CONVENIENCE_STORE]: 'convenience-store',
  [ReportChannel.REPORT_CHANNEL_VILLAGE_OFFICER]: 'village-officer',
  [ReportChannel.REPORT_CHANNEL_VOLUNTEER]: 'volunteer',
};

const ROLES: Record<number, PersonRoleName> = {
  [SubjectRole.SUBJECT_ROLE_VICTIM]: 'victim',
  [SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR]: 'alleged-perpetrator',
  [SubjectRole.SUBJECT_ROLE_CHILD]: 'child',
  [SubjectRole.SUBJECT_ROLE_CAREGIVER]: 'caregiver',
  [SubjectRole.SUBJECT_ROLE_REPORTED_PERSON]: 'reported-person',
  [SubjectRole.SUBJECT_ROLE_HOUSEHOLD_MEMBER]: 'household-member',
  [SubjectRole.SUBJECT_ROLE_WITNESS]: 'witness',
};

const SCHOOL: Record<number, SchoolStatusName> = {
  [SchoolStatus.SCHOOL_STATUS_IN_SCHOOL]: 'in-school',
  [SchoolStatus.SCHOOL_STATUS_DROPPED_OUT]: 'dropped-out',
  [SchoolStatus.SCHOOL_STATUS_NOT_IN_SCHOOL]: 'not-in-school',
};

/** A police incident is a report to intake (家庭暴力防治法 §50): which category each kind is. */
export const POLICE_INCIDENT_CATEGORY: Record<number, string> = {
  [IncidentKind.INCIDENT_KIND_DOMESTIC_VIOLENCE]: 'adult-protection',
  [IncidentKind.INCIDENT_KIND_CHILD_ABUSE_SUSPECTED]: 'child-protection',
  [IncidentKind.INCIDENT_KIND_JUVENILE_DEVIANT_BEHAVIOUR]: 'juvenile-deviant-behaviour',
  [IncidentKind.INCIDENT_KIND_FAMILY_DISPUTE]: 'vulnerable-family',
  [IncidentKind.INCIDENT_KIND_SUICIDE_ATTEMPT]: 'suicide-risk',
  [IncidentKind.INCIDENT_KIND_MISSING_PERSON]: 'vulnerable-family',
  [IncidentKind.INCIDENT_KIND_SEXUAL_ASSAULT]: 'sexual-assault',
  [IncidentKind.INCIDENT_KIND_OTHER]: 'vulnerable-family',
};

/** The intake report an event carries, or undefined for an event type intake does not screen. */
export function reportFromEvent(event: DecodedEvent, receivedAt: Date): IntakeReport | undefined {
  const { envelope } = event;
  const source = envelope.source?.system || 'unknown';
  if (envelope.eventType === EventTypes.IntakeReportSubmitted) {
    const p = event.payload as ReportSubmitted;
    return {
      reportId: `${source}:${p.reportId}`,
      sourceEventId: envelope.eventId,
      channel: CHANNELS[p.channel] ?? 'welfare',
      reporterType: p.reporterType,
      responsibleReporter: p.responsibleReporter,
      reporterUnit: p.reporterUnit || envelope.source?.unitId || '',
      category: p.category,
      needs: p.needs,
      townshipCode: p.townshipCode,
      ...(SCHOOL[p.schoolStatus] ? { schoolStatus: SCHOOL[p.schoolStatus] } : {}),
      persons: p.persons.map((person) => ({
        role: ROLES[person.role] ?? 'reported-person',
        ...(person.pseudonym ? { pseudonym: person.pseudonym } : {}),
        ...(person.name ? { name: person.name } : {}),
        ...(person.birthDate ? { birthDate: person.birthDate } : {}),
        ...(person.approximateAge ? { approximateAge: person.approximateAge } : {}),
        ...(person.sex === 'male' || person.sex === 'female' ? { sex: person.sex } : {}),
        ...(person.address ? { address: person.address } : {}),
      })),
      narrative: p.narrative,
      occurredAt: dateOf(p.occurredAt ?? envelope.occurredAt, receivedAt),
      receivedAt,
    };
  }
  if (envelope.eventType === EventTypes.PoliceIncidentRecorded) {
    const p = event.payload as IncidentRecorded;
    return {
      reportId: `${source}:${p.incidentId}`,
      sourceEventId: envelope.eventId,
      channel: 'police',
      reporterType: 'police-officer',
      responsibleReporter: true,
      reporterUnit: p.precinctUnitId || envelope.source?.unitId || '',
      category: POLICE_INCIDENT_CATEGORY[p.kind] ?? 'vulnerable-family',
      needs: [],
      townshipCode: p.townshipCode,
      persons: p.persons.map((person) => ({ role: ROLES[person.role] ?? 'reported-person', pseudonym: person.pseudonym })),
      // The police system sends no free text; what intake knows are the incident's flags.
      narrative: [p.childrenPresent ? 'children present' : '', p.weaponInvolved ? 'weapon involved' : ''].filter(Boolean).join('; '),
      occurredAt: dateOf(p.occurredAt ?? envelope.occurredAt, receivedAt),
      receivedAt,
    };
  }
  return undefined;
}

function dateOf(iso: string | undefined, fallback: Date): Date {
  const d = iso ? new Date(iso) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : fallback;
}

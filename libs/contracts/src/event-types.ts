/**
 * Event types are dotted and versioned: `<domain>.<entity>.<past-tense-verb>.v<schema>`.
 * A new incompatible payload gets a new type (…v2) published beside the old one until
 * every consumer has moved; compatible additions keep the type and bump nothing.
 */
export const EventTypes = {
  PoliceIncidentRecorded: 'police.incident.recorded.v1',
  IntakeReportSubmitted: 'intake.report.submitted.v1',
  IntakeReportDispatched: 'intake.report.dispatched.v1',
  IntakeCoInvolvementDetected: 'intake.family.co-involvement-detected.v1',
  CaseworkMembershipChanged: 'casework.membership.changed.v1',
  GatewayDisclosureRecorded: 'gateway.disclosure.recorded.v1',
  GatewayConsentGranted: 'gateway.consent.granted.v1',
  GatewayConsentWithdrawn: 'gateway.consent.withdrawn.v1',
  GatewayBreakGlassUsed: 'gateway.breakglass.used.v1',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}\.v[1-9][0-9]*$/;

export function isWellFormedEventType(value: string): boolean {
  return EVENT_TYPE.test(value);
}

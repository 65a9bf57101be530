import { PermanentHandlerError } from '@weave/bus';
import {
  Agency,
  CaseMembershipChanged,
  CaseworkMembershipChangedEvent,
  IntakeReportDispatchedEvent,
  MembershipChange,
  MembershipRole,
  ReportDispatched,
  SubjectRole,
  createEnvelope,
  decodeEvent,
  type DecodedEvent,
} from '@weave/contracts';
import { sampleIncidentEnvelope } from '@weave/testing';
import { InvalidRegistryEventError } from './involvement.repository';
import { registryEventsHandler, type InvolvementSink } from './registry-events.handler';

const person = `p1_${'b'.repeat(26)}`;
const source = { agency: Agency.AGENCY_WEAVE, system: 'test', unitId: 'test' };
const subjects = [{ pseudonym: person, role: SubjectRole.SUBJECT_ROLE_CHILD }];

function dispatchEvent(): DecodedEvent {
  const payload = ReportDispatched.fromPartial({ reportId: 'R1', dispatchId: 'D1', unitId: 'nantou-swc-puli', subjects, dispatchedAt: '2026-11-20T08:00:00.000Z' });
  return decodeEvent(createEnvelope({ definition: IntakeReportDispatchedEvent, payload, source, subjects, occurredAt: '2026-11-20T08:00:00.000Z' }));
}

function membershipEvent(): DecodedEvent {
  const payload = CaseMembershipChanged.fromPartial({
    caseId: 'C1',
    unitId: 'nantou-swc-puli',
    subjects,
    role: MembershipRole.MEMBERSHIP_ROLE_LEAD,
    change: MembershipChange.MEMBERSHIP_CHANGE_JOINED,
    effectiveAt: '2026-11-20T08:00:00.000Z',
  });
  return decodeEvent(createEnvelope({ definition: CaseworkMembershipChangedEvent, payload, source, subjects, occurredAt: '2026-11-20T08:00:00.000Z' }));
}

function fakeSink(error?: Error): InvolvementSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    applyDispatch: async (eventId, payload) => {
      calls.push(`dispatch ${eventId} ${payload.dispatchId}`);
      if (error) throw error;
    },
    applyMembership: async (eventId, payload) => {
      calls.push(`membership ${eventId} ${payload.caseId}`);
      if (error) throw error;
    },
  };
}

describe('registryEventsHandler', () => {
  it('routes a dispatch and a membership change to the repository with their event ids', async () => {
    const sink = fakeSink();
    const handle = registryEventsHandler(sink);
    const d = dispatchEvent();
    const m = membershipEvent();
    await handle(d);
    await handle(m);
    expect(sink.calls).toEqual([`dispatch ${d.envelope.eventId} D1`, `membership ${m.envelope.eventId} C1`]);
  });

  it('ignores other event types', async () => {
    const sink = fakeSink();
    await registryEventsHandler(sink)(decodeEvent(sampleIncidentEnvelope(1)));
    expect(sink.calls).toEqual([]);
  });

  it('turns an event that can never be applied into a PermanentHandlerError (dead letter, no retries)', async () => {
    const handle = registryEventsHandler(fakeSink(new InvalidRegistryEventError(['dispatched_at: required'])));
    await expect(handle(dispatchEvent())).rejects.toBeInstanceOf(PermanentHandlerError);
  });

  it('lets other failures (database down) through, to be retried', async () => {
    const failure = new Error('connect ECONNREFUSED');
    await expect(registryEventsHandler(fakeSink(failure))(membershipEvent())).rejects.toBe(failure);
  });
});

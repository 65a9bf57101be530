import { TopicCatalogue, Topics, deadLetterTopic, egressTopic, ingressTopic, isValidTopicName } from './topics';
import { isWellFormedEventType, EventTypes } from './event-types';
import { registeredEventTypes, findEventDefinition } from './event-registry';
import { DataCategory } from './generated/weave/common/v1/data_category';

describe('topic names', () => {
  it('follow weave.<zone>.<name>.v<major>', () => {
    expect(ingressTopic('police')).toBe('weave.ingress.police.v1');
    expect(egressTopic('protection')).toBe('weave.egress.protection.v1');
    expect(deadLetterTopic('gateway-fanout')).toBe('weave.dlq.gateway-fanout.v1');
  });

  it.each(['Police', 'po lice', 'police_1', '', 'a/b'])('refuse the part %p', (part) => {
    expect(() => ingressTopic(part)).toThrow('invalid topic name');
  });

  it('catalogue every fixed topic exactly once, each valid', () => {
    const names = TopicCatalogue.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.values(Topics).sort());
    for (const name of names) expect(isValidTopicName(name)).toBe(true);
  });
});

describe('event types', () => {
  it('are dotted, versioned and registered', () => {
    for (const type of Object.values(EventTypes)) {
      expect(isWellFormedEventType(type)).toBe(true);
      expect(registeredEventTypes()).toContain(type);
      expect(findEventDefinition(type)?.dataCategories).not.toContain(DataCategory.DATA_CATEGORY_UNSPECIFIED);
    }
  });

  it('label agency payloads with their categories; platform events carry pseudonyms only', () => {
    expect(findEventDefinition(EventTypes.PoliceIncidentRecorded)?.dataCategories).toEqual([DataCategory.DATA_CATEGORY_POLICE_INCIDENT]);
    for (const type of [EventTypes.IntakeReportDispatched, EventTypes.CaseworkMembershipChanged, EventTypes.GatewayDisclosureRecorded]) {
      expect(findEventDefinition(type)?.dataCategories).toEqual([]);
    }
  });

  it.each(['police.incident', 'Police.incident.recorded.v1', 'police.incident.recorded', 'police.incident.recorded.v0'])(
    'reject %p',
    (type) => {
      expect(isWellFormedEventType(type)).toBe(false);
    },
  );
});

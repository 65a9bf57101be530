import { deadLetterHeaders, headerStrings } from './message-headers';

describe('headerStrings', () => {
  it('turns Kafka buffers into strings and keeps the last repeated value', () => {
    expect(headerStrings({ a: Buffer.from('x'), b: ['1', Buffer.from('2')], c: undefined })).toEqual({ a: 'x', b: '2' });
    expect(headerStrings(undefined)).toEqual({});
  });
});

describe('deadLetterHeaders', () => {
  const info = {
    failure: 'payload-undecodable',
    reason: 'payload-undecodable: protobuf decode failed',
    topic: 'weave.ingress.police.v1',
    partition: 2,
    offset: '41',
    consumerGroup: 'gateway-fanout',
    attempts: 0,
    failedAt: new Date('2026-11-23T01:02:03.000Z'),
  };

  it('keeps the original headers and adds where and why', () => {
    expect(deadLetterHeaders({ traceparent: Buffer.from('00-abc-def-01') }, info)).toEqual({
      traceparent: '00-abc-def-01',
      'weave.dlq.failure': 'payload-undecodable',
      'weave.dlq.reason': 'payload-undecodable: protobuf decode failed',
      'weave.dlq.original_topic': 'weave.ingress.police.v1',
      'weave.dlq.original_partition': '2',
      'weave.dlq.original_offset': '41',
      'weave.dlq.consumer_group': 'gateway-fanout',
      'weave.dlq.attempts': '0',
      'weave.dlq.failed_at': '2026-11-23T01:02:03.000Z',
    });
  });

  it('replaces the facts of an earlier dead-lettering and bounds the reason', () => {
    const headers = deadLetterHeaders({ 'weave.dlq.original_topic': 'old', 'weave.dlq.extra': 'x' }, { ...info, reason: 'r'.repeat(5_000) });
    expect(headers['weave.dlq.original_topic']).toBe('weave.ingress.police.v1');
    expect(headers['weave.dlq.extra']).toBeUndefined();
    expect(headers['weave.dlq.reason']).toHaveLength(1_000);
  });
});

/**
 * Three data-holding agency systems for the Query benchmark, in one process of their own:
 * welfare, protection and mental health, each an mTLS gRPC DataHolderService answering with
 * synthetic records for whichever person it is asked about.
 *
 *   node -r ./tools/register.js bench/support/data-holders.ts <ca> <cert> <key>
 * prints "HOLDER <system> <port>" per system.
 */
import { readFileSync } from 'node:fs';
import { Server, ServerCredentials, type ServiceError } from '@grpc/grpc-js';
import { DataCategory, DataHolderServiceService, type HeldRecord, type LookupRequest, type LookupResponse } from '@weave/contracts';

const [ca = '', cert = '', key = ''] = process.argv.slice(2);
const text = (name: string, value: string) => ({ name, text: value });

function recordsFor(subject: string): HeldRecord[] {
  const base = { subjectPseudonym: subject, related: [], updatedAt: '2026-11-01T00:00:00.000Z' };
  return [
    { ...base, category: DataCategory.DATA_CATEGORY_IDENTITY, recordId: `ID-${subject.slice(3, 9)}`, fields: [text('birth_year', '1985'), text('sex', 'F'), text('township_code', '10008020'), text('household_role', 'parent')] },
    { ...base, category: DataCategory.DATA_CATEGORY_HOUSEHOLD_COMPOSITION, recordId: `HH-${subject.slice(3, 9)}`, fields: [text('household_size', '4'), text('children_under_18', '2'), text('single_parent', 'yes')] },
    { ...base, category: DataCategory.DATA_CATEGORY_WELFARE_BENEFIT_STATUS, recordId: `WB-${subject.slice(3, 9)}`, fields: [text('income_tier', 'low'), text('assistance_types', 'living'), text('assistance_since', '2024-03')] },
    { ...base, category: DataCategory.DATA_CATEGORY_PROTECTION_CASE_STATUS, recordId: `PS-${subject.slice(3, 9)}`, fields: [text('has_open_case', 'yes'), text('lead_unit', 'nantou-protection-team'), text('lead_contact', 'duty desk')] },
    { ...base, category: DataCategory.DATA_CATEGORY_MENTAL_HEALTH, recordId: `MH-${subject.slice(3, 9)}`, fields: [text('diagnosis_group', 'mood'), text('treatment_status', 'active'), text('treating_unit', 'nantou-cmhc')] },
  ];
}

const HOLDS: Record<string, DataCategory[]> = {
  welfare: [DataCategory.DATA_CATEGORY_IDENTITY, DataCategory.DATA_CATEGORY_HOUSEHOLD_COMPOSITION, DataCategory.DATA_CATEGORY_WELFARE_BENEFIT_STATUS],
  protection: [DataCategory.DATA_CATEGORY_PROTECTION_CASE_STATUS],
  'mental-health': [DataCategory.DATA_CATEGORY_MENTAL_HEALTH],
};

const creds = ServerCredentials.createSsl(readFileSync(ca), [{ cert_chain: readFileSync(cert), private_key: readFileSync(key) }], true);
for (const [system, holds] of Object.entries(HOLDS)) {
  const server = new Server();
  server.addService(DataHolderServiceService, {
    lookup: (call: { request: LookupRequest }, callback: (err: ServiceError | null, res?: LookupResponse) => void) => {
      const subject = call.request.personPseudonym ?? '';
      const asked = new Set(call.request.categories.filter((c) => holds.includes(c)));
      callback(null, { records: recordsFor(subject).filter((r) => asked.has(r.category)) });
    },
  });
  server.bindAsync('127.0.0.1:0', creds, (err, port) => {
    if (err) throw err;
    process.stdout.write(`HOLDER ${system} ${port}\n`);
  });
}

import { SCHOOL_STATUSES, type SchoolStatus } from '@weave/dispatch';
import { REPORT_CHANNELS, SCREENING_CATEGORIES, type ReportChannel } from '@weave/screening';
import { z } from 'zod';

/**
 * One report, whatever channel it came by, in the form intake links, screens and routes.
 * It holds personal data (names, birth dates, addresses, the narrative): it lives in intake's
 * own store and is never logged.
 */
export interface IntakeReport {
  /** `<source>:<source reference>`: a report redelivered by Kafka or re-posted is the same report. */
  readonly reportId: string;
  readonly sourceEventId?: string;
  readonly channel: ReportChannelName;
  readonly reporterType: string;
  readonly responsibleReporter: boolean;
  readonly reporterUnit: string;
  /** What the reporter ticked; screening may re-categorise. */
  readonly category: string;
  readonly needs: readonly string[];
  readonly townshipCode: string;
  readonly schoolStatus?: SchoolStatusName;
  readonly persons: readonly IntakePerson[];
  readonly narrative: string;
  readonly occurredAt: Date;
  readonly receivedAt: Date;
}

export interface IntakePerson {
  readonly role: PersonRoleName;
  /** Known already (an agency that holds the national ID sends only the pseudonym). */
  readonly pseudonym?: string;
  /** Only from the HTTP channel; turned into a pseudonym by linkage and never stored. */
  readonly nationalId?: string;
  readonly name?: string;
  readonly birthDate?: string;
  readonly approximateAge?: number;
  readonly sex?: 'male' | 'female';
  readonly address?: string;
}

export { REPORT_CHANNELS };
export type ReportChannelName = ReportChannel;

/** Channels that reach intake over HTTP; the agency channels come through the gateway. */
export const HTTP_CHANNELS = ['public-online', 'convenience-store', 'village-officer', 'volunteer', 'hospital', 'school'] as const;

export const PERSON_ROLES = ['victim', 'alleged-perpetrator', 'child', 'reported-person', 'caregiver', 'household-member', 'witness'] as const;
export type PersonRoleName = (typeof PERSON_ROLES)[number];

export type SchoolStatusName = SchoolStatus;

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The national online reporting platform's shape (關懷e起來 / 社會安全網線上通報): who reports,
 * their relationship to the family, what they saw, who is involved, and where. Community
 * channels (a convenience store's meal-pickup note, a village officer, a volunteer) post the
 * same shape with their own channel.
 */
export const nationalPlatformReport = z
  .object({
    reference: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or hyphen'),
    channel: z.enum(HTTP_CHANNELS),
    reporter: z
      .object({
        type: text(40),
        responsible: z.boolean(),
        unit: z.string().trim().max(100).optional(),
        relationship: z.string().trim().max(40).optional(),
      })
      .strict(),
    category: z.enum(SCREENING_CATEGORIES),
    needs: z.array(text(40)).max(12).optional(),
    location: z.object({ townshipCode: z.string().regex(/^[0-9]{8}$/, 'an 8-digit township code') }).strict(),
    schoolStatus: z.enum(SCHOOL_STATUSES).optional(),
    persons: z
      .array(
        z
          .object({
            role: z.enum(PERSON_ROLES),
            name: z.string().trim().max(60).optional(),
            nationalId: z.string().trim().max(12).optional(),
            birthDate: z.string().trim().max(20).optional(),
            approximateAge: z.number().int().min(0).max(120).optional(),
            sex: z.enum(['male', 'female']).optional(),
            address: z.string().trim().max(200).optional(),
          })
          .strict()
          .refine((p) => Boolean(p.name || p.nationalId || p.birthDate), { message: 'a name, national ID number or birth date to find the person by' }),
      )
      .min(1)
      .max(20),
    narrative: text(8000),
    occurredAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

export type NationalPlatformReport = z.infer<typeof nationalPlatformReport>;

/**
 * Parses a report posted over HTTP. Errors name the field and what was expected, never the
 * value (which is personal data).
 */
export function parseNationalPlatformReport(body: unknown, receivedAt: Date): { report: IntakeReport } | { errors: FieldError[] } {
  const parsed = nationalPlatformReport.safeParse(body);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => ({
        field: issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(body)',
        message: issueMessage(issue),
      })),
    };
  }
  const r = parsed.data;
  return {
    report: {
      reportId: `${r.channel}:${r.reference}`,
      channel: r.channel,
      reporterType: r.reporter.type,
      responsibleReporter: r.reporter.responsible,
      reporterUnit: r.reporter.unit ?? '',
      category: r.category,
      needs: r.needs ?? [],
      townshipCode: r.location.townshipCode,
      ...(r.schoolStatus ? { schoolStatus: r.schoolStatus } : {}),
      persons: r.persons.map((p) => stripUndefined({ ...p })),
      narrative: r.narrative,
      occurredAt: r.occurredAt ? new Date(r.occurredAt) : receivedAt,
      receivedAt,
    },
  };
}

function issueMessage(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? 'required' : `expected ${issue.expected}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.join(', ')}`;
    case 'too_small':
      return issue.type === 'array' ? `at least ${String(issue.minimum)} item(s)` : 'required';
    case 'too_big':
      return issue.type === 'array' ? `at most ${String(issue.maximum)} item(s)` : `at most ${String(issue.maximum)} characters`;
    default:
      // zod's own messages for the remaining codes (regex, datetime, refine) never quote the value.
      return issue.message;
  }
}

/** The object without its undefined (and empty-string) fields, for exactOptionalPropertyTypes. */
export function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

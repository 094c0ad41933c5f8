import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { interests, introductions } from '../../../drizzle/interests.js';
import { listings } from '../../../drizzle/listings.js';
import { mailMessages } from '../../../drizzle/mail.js';
import { organizations } from '../../../drizzle/organizations.js';
import { tmEntries, tmIssues, tmSubscribers } from '../../../drizzle/techmonitor.js';
import { queryRows, type Executor } from '../../db/client.js';

// Read-only aggregates for the annual report. They read several modules' tables in one place
// because each figure is a single GROUP BY over them; nothing here ever writes.

export interface Period {
  /** Inclusive start instant. */
  from: Date;
  /** Exclusive end instant. */
  until: Date;
}

type CountRow = { key: string | null; n: number };

const within = (column: AnyColumn, period: Period) =>
  sql`${column} >= ${period.from.toISOString()}::timestamptz and ${column} < ${period.until.toISOString()}::timestamptz`;

async function counts(db: Executor, query: SQL): Promise<Map<string, number>> {
  const rows = await queryRows<CountRow>(db, query);
  return new Map(rows.map((row) => [row.key ?? '', Number(row.n)]));
}

async function single(db: Executor, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, query);
  return Number(row?.n ?? 0);
}

export function listingsByKind(db: Executor, period: Period) {
  return counts(db, sql`select ${listings.kind} as key, count(*)::int as n from ${listings} where ${within(listings.publishedAt, period)} group by 1`);
}

export function listingsByCountry(db: Executor, period: Period) {
  return counts(
    db,
    sql`select ${organizations.country} as key, count(*)::int as n from ${listings}
        join ${organizations} on ${organizations.id} = ${listings.organizationId}
        where ${within(listings.publishedAt, period)} group by 1`,
  );
}

export function listingsBySector(db: Executor, period: Period) {
  return counts(
    db,
    sql`select s.code as key, count(*)::int as n from ${listings} cross join lateral unnest(${listings.sectors}) as s(code)
        where ${within(listings.publishedAt, period)} group by 1`,
  );
}

export function listingsBySdg(db: Executor, period: Period) {
  return counts(
    db,
    sql`select s.code::text as key, count(*)::int as n from ${listings} cross join lateral unnest(${listings.sdgs}) as s(code)
        where ${within(listings.publishedAt, period)} group by 1`,
  );
}

export async function interestFigures(db: Executor, period: Period) {
  const [sent, accepted, declined, withdrawn] = await Promise.all([
    single(db, sql`select count(*)::int as n from ${interests} where ${within(interests.createdAt, period)}`),
    single(db, sql`select count(*)::int as n from ${interests} where ${interests.status} = 'accepted' and ${within(interests.respondedAt, period)}`),
    single(db, sql`select count(*)::int as n from ${interests} where ${interests.status} = 'declined' and ${within(interests.respondedAt, period)}`),
    single(db, sql`select count(*)::int as n from ${interests} where ${interests.status} = 'withdrawn' and ${within(interests.withdrawnAt, period)}`),
  ]);
  const declinedByReason = await counts(
    db,
    sql`select ${interests.declineReason} as key, count(*)::int as n from ${interests}
        where ${interests.status} = 'declined' and ${within(interests.respondedAt, period)} group by 1`,
  );
  return { sent, accepted, declined, withdrawn, declinedByReason };
}

export async function introductionFigures(db: Executor, period: Period, fromDate: string, toDate: string) {
  const [started, endedWithoutAgreement] = await Promise.all([
    single(db, sql`select count(*)::int as n from ${introductions} where ${within(introductions.createdAt, period)}`),
    single(
      db,
      sql`select count(*)::int as n from ${introductions} where ${introductions.status} = 'ended_without_agreement' and ${within(introductions.finishedAt, period)}`,
    ),
  ]);
  // Agreements count on the day they were signed, which the parties record as a date.
  const agreementsByType = await counts(
    db,
    sql`select ${introductions.agreementType} as key, count(*)::int as n from ${introductions}
        where ${introductions.agreementType} is not null and ${introductions.agreementDate} >= ${fromDate}::date and ${introductions.agreementDate} <= ${toDate}::date
        group by 1`,
  );
  return { started, endedWithoutAgreement, agreementsByType };
}

export async function techMonitorFigures(db: Executor, period: Period) {
  const issues = await queryRows<{ id: string; volume: number; number: number; title: string; published_at: Date | string; offers: number; requests: number }>(
    db,
    sql`select ${tmIssues.id} as id, ${tmIssues.volume} as volume, ${tmIssues.number} as number, ${tmIssues.title} as title,
          ${tmIssues.publishedAt} as published_at,
          (select count(*)::int from ${tmEntries} where ${tmEntries.issueId} = ${tmIssues.id} and ${tmEntries.kind} = 'offer') as offers,
          (select count(*)::int from ${tmEntries} where ${tmEntries.issueId} = ${tmIssues.id} and ${tmEntries.kind} = 'request') as requests
        from ${tmIssues}
        where ${tmIssues.status} = 'published' and ${within(tmIssues.publishedAt, period)}
        order by ${tmIssues.publishedAt}, ${tmIssues.id}`,
  );
  return issues.map((row) => ({
    id: row.id,
    volume: Number(row.volume),
    number: Number(row.number),
    title: row.title,
    publishedAt: new Date(row.published_at),
    offers: Number(row.offers),
    requests: Number(row.requests),
  }));
}

export async function subscriberFigures(db: Executor, period: Period) {
  const [newConfirmed, activeAtEnd, unsubscribed, bounced] = await Promise.all([
    single(db, sql`select count(*)::int as n from ${tmSubscribers} where ${within(tmSubscribers.confirmedAt, period)}`),
    // Active at the end of the period: confirmed by then and neither unsubscribed nor bounced by then.
    single(
      db,
      sql`select count(*)::int as n from ${tmSubscribers}
          where ${tmSubscribers.confirmedAt} < ${period.until.toISOString()}::timestamptz
            and (${tmSubscribers.status} = 'active'
              or least(${tmSubscribers.unsubscribedAt}, ${tmSubscribers.bouncedAt}) >= ${period.until.toISOString()}::timestamptz)`,
    ),
    single(db, sql`select count(*)::int as n from ${tmSubscribers} where ${within(tmSubscribers.unsubscribedAt, period)}`),
    single(db, sql`select count(*)::int as n from ${tmSubscribers} where ${within(tmSubscribers.bouncedAt, period)}`),
  ]);
  return { newConfirmed, activeAtEnd, unsubscribed, bounced };
}

export function mailsDeliveredByTemplate(db: Executor, period: Period) {
  return counts(
    db,
    sql`select ${mailMessages.template} as key, count(*)::int as n from ${mailMessages}
        where ${mailMessages.status} = 'sent' and ${within(mailMessages.sentAt, period)} group by 1`,
  );
}

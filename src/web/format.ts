import type { FastifyRequest } from 'fastify';

const DEFAULT_LOCALE = 'en-GB';

/** The reader's locale from Accept-Language: the first one Intl knows, else British English. */
export function localeOf(request: FastifyRequest): string {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return DEFAULT_LOCALE;
  const wanted = header
    .split(',')
    .map((part) => part.split(';')[0]!.trim())
    .filter((tag) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag))
    .slice(0, 5);
  for (const tag of wanted) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // A tag Intl rejects is skipped like an unknown one.
    }
  }
  return DEFAULT_LOCALE;
}

export interface Formatter {
  locale: string;
  date(value: Date | string): string;
  /** Date and time of day (UTC), for what happened today: jobs, syncs, mail attempts. */
  dateTime(value: Date | string): string;
  number(value: number): string;
}

export function formatterFor(locale: string): Formatter {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(locale);
  return {
    locale,
    date: (value) => dates.format(typeof value === 'string' ? new Date(value) : value),
    dateTime: (value) => `${dateTimes.format(typeof value === 'string' ? new Date(value) : value)} UTC`,
    number: (value) => numbers.format(value),
  };
}

import { AmbixError } from '../errors.js';

/** Calendar fields of an instant in a time zone, zero-padded as they appear in file names and headers. */
export interface DateParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
    } catch (error) {
      throw new AmbixError('CONFIG_INVALID', `Unknown time zone '${timezone}'.`, {
        hint: "Use an IANA time zone name such as 'UTC' or 'Europe/Paris'.",
        cause: error,
      });
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The calendar fields of `date` in the IANA `timezone` (default UTC). */
export function datePartsIn(date: Date, timezone = 'UTC'): DateParts {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timezone).formatToParts(date)) fields[part.type] = part.value;
  const field = (name: string, width: number): string => (fields[name] ?? '').padStart(width, '0');
  return {
    year: field('year', 4),
    month: field('month', 2),
    day: field('day', 2),
    hour: field('hour', 2),
    minute: field('minute', 2),
    second: field('second', 2),
  };
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in the time zone, the form of Alembic's `Create Date`. */
export function formatCreateDate(date: Date, timezone = 'UTC'): string {
  const p = datePartsIn(date, timezone);
  const micros = String(date.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${micros}`;
}

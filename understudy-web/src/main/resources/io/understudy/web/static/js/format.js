// Numbers, sizes and times in the user's language.
import { language, t } from './i18n.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 512 B, 1.0 KiB, 1.2 GiB. */
export function bytes(value) {
  if (value === null || value === undefined) return '—';
  let amount = Math.abs(value);
  let unit = 0;
  while (amount >= 1023.95 && unit < UNITS.length - 1) {
    amount /= 1024;
    unit += 1;
  }
  const sign = value < 0 ? '-' : '';
  if (unit === 0) return `${sign}${amount} B`;
  return `${sign}${number(amount, 1)} ${UNITS[unit]}`;
}

export function number(value, fractionDigits = 0) {
  return new Intl.NumberFormat(language(), {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** A time gap in seconds: 0.3 s, 42 s, 3 min 5 s, 2 h 1 min. */
export function seconds(value) {
  if (value === null || value === undefined) return '—';
  if (value < 10) return t('unit.seconds', { n: number(value, 1) });
  if (value < 60) return t('unit.seconds', { n: number(Math.round(value)) });
  const total = Math.round(value);
  if (total < 3600) return t('unit.minutesSeconds', { m: Math.floor(total / 60), s: total % 60 });
  return t('unit.hoursMinutes', { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60) });
}

/** The local date and time of an ISO instant. */
export function dateTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/** The local time of an ISO instant. */
export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(language(), { timeStyle: 'medium' }).format(date);
}

/** "0.4 s ago", "3 min ago", else the date and time. */
export function ago(iso, now = new Date()) {
  if (!iso) return t('time.never');
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '—';
  const millis = Math.max(0, now.getTime() - then.getTime());
  if (millis < 60_000) return t('time.secondsAgo', { n: number(millis / 1000, millis < 10_000 ? 1 : 0) });
  if (millis < 3_600_000) return t('time.minutesAgo', { n: Math.floor(millis / 60_000) });
  return dateTime(iso);
}

/** An elapsed time between two instants (the second one defaults to now): 12 s, 1 min 5 s. */
export function elapsed(fromIso, toIso) {
  if (!fromIso) return '—';
  const from = new Date(fromIso).getTime();
  const to = toIso ? new Date(toIso).getTime() : Date.now();
  return seconds(Math.max(0, (to - from) / 1000));
}

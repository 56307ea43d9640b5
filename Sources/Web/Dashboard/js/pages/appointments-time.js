// Dates, times and money for the appointments pages. Days and times are the business's (its
// time zone comes with the session, zone.js), whatever zone the browser is in: a day is the
// business's midnight to midnight, and 09:00 is 09:00 where the business is. The API takes and
// gives RFC 3339 instants; Date values here are instants too.

import { language, t } from '../i18n.js';
import { businessZone } from '../zone.js';

const partsFormats = new Map();

/** The business's wall clock at an instant: { year, month, day, hour, minute, weekday (0 = Sunday) }. */
export function zonedParts(value) {
  const zone = businessZone();
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
      day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    partsFormats.set(zone, format);
  }
  const parts = {};
  for (const part of format.formatToParts(new Date(value))) parts[part.type] = part.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24,
    minute: Number(parts.minute), weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday) };
}

/** How far the business's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(ms) {
  const p = zonedParts(ms);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60000) * 60000;
}

/** The instant the business's clock shows this date and time (day overflow is carried, as in
 *  Date.UTC). A time skipped by a clock change moves forward, as the tz database does. */
export function zonedInstant(year, month, day, hour = 0, minute = 0) {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetAt(wall);
  const second = wall - offsetAt(first);
  const shows = (ms) => ms + offsetAt(ms) === wall;
  if (shows(second)) return new Date(second);
  if (shows(first)) return new Date(first);
  return new Date(Math.max(first, second));
}

export function startOfDay(date) {
  const p = zonedParts(date);
  return zonedInstant(p.year, p.month, p.day);
}

/** `days` calendar days later at the same wall-clock time (a DST change keeps the midnight). */
export function addDays(date, days) {
  const p = zonedParts(date);
  return zonedInstant(p.year, p.month, p.day + days, p.hour, p.minute);
}

/** The Monday starting `date`'s week. */
export function startOfWeek(date) {
  const p = zonedParts(date);
  return zonedInstant(p.year, p.month, p.day - ((p.weekday + 6) % 7));
}

export function sameDay(a, b) {
  return civilDate(a) === civilDate(b);
}

const pad = (n) => String(n).padStart(2, '0');

/** YYYY-MM-DD of the business's day, as a date input and the API's civil dates write it. */
export function civilDate(date) {
  const p = zonedParts(date);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The business's midnight of a YYYY-MM-DD date input's value. */
export function fromCivilDate(value) {
  const [year, month, day] = value.split('-').map(Number);
  return zonedInstant(year, month, day);
}

export function timeLabel(value) {
  return new Intl.DateTimeFormat(language(), { hour: '2-digit', minute: '2-digit', timeZone: businessZone() }).format(new Date(value));
}

export function timeRange(start, end) {
  return `${timeLabel(start)}–${timeLabel(end)}`;
}

/** "Mon, 7 Dec" / "seg., 7 de dez." */
export function dayLabel(value, { long = false } = {}) {
  const options = long ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { weekday: 'short', day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(language(), { ...options, timeZone: businessZone() }).format(new Date(value));
}

/** "Mon, 7 Dec, 09:00" (with the year when it is not this one): a day and time in a list of a
 *  contact's appointments. */
export function dateTimeLabel(value) {
  const year = zonedParts(value).year === zonedParts(new Date()).year ? undefined : 'numeric';
  return new Intl.DateTimeFormat(language(), { weekday: 'short', day: 'numeric', month: 'short', year,
    hour: '2-digit', minute: '2-digit', timeZone: businessZone() }).format(new Date(value));
}

/** The business's time at an instant as a datetime-local input writes it (YYYY-MM-DDTHH:MM). */
export function localInput(value) {
  const p = zonedParts(value);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** A datetime-local input's value, read as the business's time, as an RFC 3339 instant. */
export function fromLocalInput(value) {
  const [date, time] = value.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return zonedInstant(year, month, day, hour, minute).toISOString();
}

/** The zone's name and offset now, e.g. "America/Sao_Paulo (GMT−3)", for a note on the page.
 *  A minus sign and a no-break space, so a phone never breaks "GMT-" from its "3". */
export function zoneLabel(zone = businessZone()) {
  const offset = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(new Date())
    .find((part) => part.type === 'timeZoneName');
  return offset ? `${zone}\u00a0(${offset.value.replace('-', '\u2212')})` : zone;
}

/** Cents as Brazilian reais ("R$ 80,00"); null is "on request". */
export function formatMoney(cents) {
  if (cents === null || cents === undefined) return t('services.price_on_request');
  return new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(cents / 100);
}

/** Reais typed with a decimal comma, as a salon owner writes them ("80", "80,50", "R$ 1.250,00")
 *  into cents; '' is null (on request); anything else is undefined (not a price). */
export function parseMoney(text) {
  let value = String(text).replace(/R\$/i, '').replace(/\s/g, '');
  if (value === '') return null;
  if (value.includes(',')) value = value.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(value)) value = value.replace(/\./g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return undefined;
  return Math.round(Number(value) * 100);
}

/** Cents as an input's value: "80,50", with the comma the owner types. */
export function moneyInput(cents) {
  if (cents === null || cents === undefined) return '';
  return (cents / 100).toFixed(2).replace('.', ',');
}

/** "45 min" / "1 h 30 min". */
export function durationLabel(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return t('services.minutes', { n: rest });
  return rest ? t('services.hours_minutes', { h: hours, m: rest }) : t('services.hours', { h: hours });
}

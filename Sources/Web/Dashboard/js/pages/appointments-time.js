// Dates, times and money for the appointments pages. Days are the browser's local days (the
// business and its dashboard share a time zone); the API takes and gives RFC 3339 instants.

import { language, t } from '../i18n.js';

export function startOfDay(date) {
  const d = new Date(date);
  d.setHours(0, 0, 0, 0);
  return d;
}

/** `days` calendar days later (a DST change keeps the local midnight). */
export function addDays(date, days) {
  const d = new Date(date);
  d.setDate(d.getDate() + days);
  return d;
}

/** The Monday starting `date`'s week. */
export function startOfWeek(date) {
  const d = startOfDay(date);
  return addDays(d, -((d.getDay() + 6) % 7));
}

export function sameDay(a, b) {
  return startOfDay(a).getTime() === startOfDay(b).getTime();
}

/** YYYY-MM-DD of the local day, as a date input and the API's civil dates write it. */
export function civilDate(date) {
  const d = new Date(date);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The local midnight of a YYYY-MM-DD date input's value. */
export function fromCivilDate(value) {
  const [year, month, day] = value.split('-').map(Number);
  return new Date(year, month - 1, day);
}

export function timeLabel(value) {
  return new Intl.DateTimeFormat(language(), { hour: '2-digit', minute: '2-digit' }).format(new Date(value));
}

export function timeRange(start, end) {
  return `${timeLabel(start)}–${timeLabel(end)}`;
}

/** "Mon, 7 Dec" / "seg., 7 de dez." */
export function dayLabel(value, { long = false } = {}) {
  const options = long ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { weekday: 'short', day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(language(), options).format(new Date(value));
}

/** The local time of an instant as a datetime-local input writes it (YYYY-MM-DDTHH:MM). */
export function localInput(value) {
  const d = new Date(value);
  return `${civilDate(d)}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** A datetime-local input's value as an RFC 3339 instant (with the browser's offset). */
export function fromLocalInput(value) {
  return new Date(value).toISOString();
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

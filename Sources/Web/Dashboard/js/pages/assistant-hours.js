// Assistant → Settings → Opening hours and holidays. A weekday is open or closed (its checkbox)
// and, when open, has one or more intervals: a clinic that closes for lunch is open 08:00–12:00
// and 14:00–18:00. Holidays are dates on which the business stays closed all day. The server
// validates (overlaps, empty intervals, malformed dates) and stores them sorted, without repeats.

import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';

const WEEKDAYS = [2, 3, 4, 5, 6, 7, 1];   // Monday first; the API's 1 is Sunday
const DAY = 24 * 60;
const DEFAULT_INTERVAL = { start: 9 * 60, end: 18 * 60 };

// A time input cannot say 24:00, so a closing time of 00:00 means midnight (1440, the end of
// the day), which the API needs for a night shift split over two days.
function clock(minutes, closing = false) {
  const m = closing && minutes >= DAY ? 0 : Math.max(0, Math.min(minutes, DAY - 1));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function minutes(value, closing = false) {
  const [hours, mins] = value.split(':').map(Number);
  const total = hours * 60 + mins;
  return closing && total === 0 ? DAY : total;
}

/** The interval after the day's last one: an hour later, four hours long, within the day. */
function nextInterval(intervals) {
  if (!intervals.length) return { ...DEFAULT_INTERVAL };
  const lastEnd = Math.max(...intervals.map((i) => i.end));
  const start = Math.min(lastEnd + 60, DAY - 60);
  return { start, end: Math.min(start + 4 * 60, DAY) };
}

/** A small × button whose accessible name (and tooltip) says what it removes. */
function removeButton(name, onclick) {
  return h('button', { type: 'button', class: 'button button-small hours-remove', title: name, onclick },
    h('span', { 'aria-hidden': 'true' }, '×'), h('span', { class: 'visually-hidden' }, name));
}

/**
 * Rows a person adds and removes, in `list`: each row gets a × (named by `refresh`, which runs
 * after every change), and `afterRemove(rows)` says where the focus goes when one is removed.
 */
function editableRows(list, refresh, afterRemove) {
  let rows = [];
  return {
    get all() { return rows; },
    add(li, row) {
      row.remove = removeButton('', () => {
        rows = rows.filter((other) => other !== row);
        li.remove();
        refresh();
        afterRemove(rows);
      });
      li.append(row.remove);
      rows.push(row);
      list.append(li);
      refresh();
    },
    clear() {
      rows = [];
      replace(list);
    },
  };
}

/** One weekday: its open checkbox and its interval rows. `locked` (a reader) disables everything. */
function dayRow(weekday, day, locked) {
  const id = uid(`day-${weekday}`);
  const name = t(`assistant_settings.weekday_${weekday}`);
  const initial = (day && day.intervals) || [];
  const open = h('input', { id, type: 'checkbox', checked: initial.length > 0, 'data-weekday': String(weekday) });
  const list = h('ul', { class: 'hours-intervals' });
  const add = h('button', { type: 'button', class: 'button button-small hours-add', 'aria-label': t('assistant_settings.add_interval_day', { day: name }),
    onclick: () => { addInterval(nextInterval(read())); last().from.focus(); } },
  t('assistant_settings.add_interval'));
  const rows = editableRows(list, refresh, () => last().from.focus());
  const last = () => rows.all[rows.all.length - 1];

  function read() {
    return rows.all.filter((r) => r.from.value && r.to.value)
      .map((r) => ({ start: minutes(r.from.value), end: minutes(r.to.value, true) }));
  }

  function addInterval(interval) {
    const from = h('input', { type: 'time', value: clock(interval.start) });
    const to = h('input', { type: 'time', value: clock(interval.end, true) });
    rows.add(h('li', { class: 'hours-times' }, from, h('span', { 'aria-hidden': 'true' }, '–'), to), { from, to });
  }

  // Names follow the row's place: the first interval keeps the plain "Monday opens at".
  function refresh() {
    rows.all.forEach((row, index) => {
      const n = index + 1;
      row.from.setAttribute('aria-label', n === 1 ? t('assistant_settings.from_day', { day: name })
        : t('assistant_settings.from_day_n', { day: name, n }));
      row.to.setAttribute('aria-label', n === 1 ? t('assistant_settings.to_day', { day: name })
        : t('assistant_settings.to_day_n', { day: name, n }));
      const label = t('assistant_settings.remove_interval', { day: name, n });
      row.remove.title = label;
      row.remove.lastChild.textContent = label;
      // A day's only interval cannot be removed (uncheck the day instead); its × keeps its place.
      row.remove.classList.toggle('hours-remove-spare', rows.all.length < 2);
    });
    const off = locked || !open.checked;
    rows.all.forEach((row) => { row.from.disabled = off; row.to.disabled = off; row.remove.disabled = off; });
    add.disabled = off;
  }

  function set(intervals) {
    rows.clear();
    (intervals.length ? intervals : [DEFAULT_INTERVAL]).forEach(addInterval);
    open.checked = intervals.length > 0;
    refresh();
  }

  open.addEventListener('change', refresh);
  set(initial);
  const row = h('li', { class: 'hours-row' },
    h('span', { class: 'hours-day' }, open, h('label', { for: id }, name)), add, list);
  return {
    row,
    first: open,
    set,
    /** The day as the API takes it: its intervals; none when closed. */
    value() {
      return { weekday, intervals: open.checked ? read() : [] };
    },
  };
}

/** The holidays: one date input per holiday, added and removed. */
export function holidaysEditor(initial, locked, labels = {}) {
  const list = h('ul', { class: 'holiday-list' });
  const empty = h('p', { class: 'muted holiday-empty' }, labels.none || t('assistant_settings.holidays_none'));
  const error = h('p', { class: 'field-error', hidden: true });
  const add = h('button', { type: 'button', class: 'button button-small hours-add',
    onclick: () => { addDate(''); rows.all[rows.all.length - 1].input.focus(); } }, labels.add || t('assistant_settings.add_holiday'));
  const rows = editableRows(list, refresh, (left) => (left.length ? left[left.length - 1].input : add).focus());

  function addDate(date) {
    const input = h('input', { type: 'date', value: date || null });
    input.addEventListener('input', () => setError(''));
    rows.add(h('li', { class: 'holiday-row' }, input), { input });
  }

  function refresh() {
    rows.all.forEach((row, index) => {
      const n = index + 1;
      row.input.setAttribute('aria-label', t('assistant_settings.holiday_n', { n }));
      const label = t('assistant_settings.remove_holiday', { n });
      row.remove.title = label;
      row.remove.lastChild.textContent = label;
      row.input.disabled = locked;
      row.remove.disabled = locked;
    });
    empty.hidden = rows.all.length > 0;
    add.disabled = locked;
  }

  function setError(text) {
    error.textContent = text || '';
    error.hidden = !text;
    rows.all.forEach((row) => { if (text) row.input.setAttribute('aria-invalid', 'true'); else row.input.removeAttribute('aria-invalid'); });
  }

  function set(dates) {
    rows.clear();
    dates.forEach(addDate);
    refresh();
  }

  set(initial);
  const wrap = h('fieldset', { class: 'holidays' }, h('legend', {}, labels.legend || t('assistant_settings.holidays')),
    h('p', { class: 'field-hint' }, labels.hint || t('assistant_settings.holidays_hint')), empty, list, error, add);
  return {
    wrap,
    set,
    field: { get input() { return rows.all.length ? rows.all[0].input : add; }, setError },
    /** YYYY-MM-DD dates; an empty or unfinished date input is left out. */
    value() {
      return rows.all.map((row) => row.input.value).filter(Boolean);
    },
  };
}

/**
 * The week and the holidays (a staff member's week and days off use it too, with `labels`:
 * { legend, hint, holidays: { legend, hint, none, add } }). Returns { wrap, value(), set(hours), fieldFor(error) }: value() is the
 * `hours` object to PUT; fieldFor names where an API error about the hours is shown.
 */
export function hoursEditor(hours, locked, labels = {}) {
  const days = WEEKDAYS.map((weekday) => dayRow(weekday, (hours.days || []).find((d) => d.weekday === weekday), locked));
  const holidays = holidaysEditor(hours.holidays || [], locked, labels.holidays);
  const errorId = uid('hours-error');
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const hoursField = {
    input: days[0].first,
    setError(text) { error.textContent = text || ''; error.hidden = !text; },
  };
  const wrap = h('fieldset', { class: 'hours', 'aria-describedby': errorId }, h('legend', {}, labels.legend || t('assistant_settings.hours')),
    h('p', { class: 'field-hint' }, labels.hint || t('assistant_settings.hours_hint')),
    h('ul', { class: 'hours-list' }, days.map((d) => d.row)), error, holidays.wrap);
  return {
    wrap,
    value() { return { days: days.map((d) => d.value()), holidays: holidays.value() }; },
    set(saved) {
      days.forEach((d, index) => {
        const day = (saved.days || []).find((other) => other.weekday === WEEKDAYS[index]);
        d.set((day && day.intervals) || []);
      });
      holidays.set(saved.holidays || []);
    },
    clearErrors() { hoursField.setError(''); holidays.field.setError(''); },
    /** The server names the whole `hours`; a bad holiday's message starts with "holiday". */
    fieldFor(apiError) {
      if (apiError.field === 'hours.holidays') return holidays.field;
      return apiError.field === 'hours' ? hoursField : null;
    },
  };
}

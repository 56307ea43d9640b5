// Choosing a time: a day, then one of that day's free start times (GET /api/v1/slots, which
// applies staff hours, breaks, days off, bookings, notice and the slot grid). And, when the time
// was taken meanwhile (409 slot_taken), the nearest free times the server offers instead.

import { api } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { addDays, civilDate, dayLabel, fromCivilDate, sameDay, timeLabel } from './appointments-time.js';

/**
 * The day input and the free times. `query()` gives { serviceId, staffId } (null while no service
 * is chosen); `staffName(id)` names who is free when anyone may do it. Returns { wrap, reload,
 * selected(), setDay(date) }.
 */
export function slotChooser({ query, staffName, day = new Date() }) {
  const dateId = uid('slot-day');
  const date = h('input', { id: dateId, type: 'date', name: 'day', value: civilDate(day), min: civilDate(new Date()) });
  const list = h('ul', { class: 'slot-list', 'aria-label': t('appointments.free_times') });
  const status = h('p', { class: 'muted slot-status', role: 'status' });
  let selected = null;
  let generation = 0;

  async function reload() {
    selected = null;
    replace(list);
    const q = query();
    if (!q || !q.serviceId) { status.textContent = t('appointments.choose_service_first'); return; }
    if (!date.value) { status.textContent = t('appointments.choose_day'); return; }
    const mine = ++generation;
    status.textContent = t('appointments.loading_times');
    const start = fromCivilDate(date.value);
    const from = sameDay(start, new Date()) ? new Date() : start;
    try {
      const answer = await api.listSlots({ serviceId: q.serviceId, staffId: q.staffId || null, from: from.toISOString(),
        to: addDays(start, 1).toISOString(), limit: 200 });
      if (mine !== generation) return;
      // With anyone free, one button per start time (the first free person); with a chosen
      // person, their times.
      const seen = new Set();
      const slots = answer.items.filter((slot) => !seen.has(slot.start) && seen.add(slot.start));
      status.textContent = slots.length ? t('appointments.times_found', { count: slots.length, day: dayLabel(start) })
        : t('appointments.no_times', { day: dayLabel(start) });
      replace(list, slots.map((slot) => {
        const name = q.staffId ? null : staffName(slot.staff_id);
        const button = h('button', {
          type: 'button', class: 'button button-small slot', 'aria-pressed': 'false', 'data-start': slot.start,
          onclick: () => {
            for (const other of list.querySelectorAll('.slot')) other.setAttribute('aria-pressed', 'false');
            button.setAttribute('aria-pressed', 'true');
            selected = slot;
          },
        }, timeLabel(slot.start), name ? h('span', { class: 'slot-staff' }, ` · ${name}`) : null);
        return h('li', {}, button);
      }));
    } catch (error) {
      if (mine === generation) status.textContent = error.display;
    }
  }

  date.addEventListener('change', reload);
  const wrap = h('fieldset', { class: 'slot-chooser' }, h('legend', {}, t('appointments.when')),
    h('div', { class: 'field' }, h('label', { for: dateId }, t('appointments.day')), date), status, list);
  return {
    wrap,
    reload,
    selected: () => selected,
    setDay(value) { date.value = civilDate(value); reload(); },
  };
}

/** The times the server offered after a 409 slot_taken, as buttons; `pick(start)` books one. */
export function takenOptions(error, pick) {
  const starts = Array.isArray(error.options) ? error.options : [];
  if (!starts.length) return null;
  return h('div', { class: 'slot-options', 'data-testid': 'slot-options' },
    h('p', {}, t('appointments.options_intro')),
    h('ul', { class: 'slot-list' }, starts.map((start) => h('li', {},
      h('button', { type: 'button', class: 'button button-small slot-option', 'data-start': start, onclick: () => pick(start) },
        sameDay(start, new Date()) ? timeLabel(start) : `${dayLabel(start)} ${timeLabel(start)}`)))));
}

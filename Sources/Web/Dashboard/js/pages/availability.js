// Settings → Availability: each staff member's week (intervals per weekday; a lunch break is the
// gap between two), days off and time off, then the booking rules (calendar-settings.js). Admins
// and Managers (dashboard: full) change them; others with Settings read them, disabled.

import { can } from '../access.js';
import { api } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { busy, messageArea, submit } from '../forms.js';
import { t } from '../i18n.js';
import { zoneDiffers } from '../zone.js';
import { hoursEditor } from './assistant-hours.js';
import { fromLocalInput, localInput, zoneLabel } from './appointments-time.js';
import { calendarSettingsSection } from './calendar-settings.js';

export function availabilityPage(context) {
  const editor = can(context.session.permissions, 'dashboard', 'full');
  const message = messageArea();
  const selectId = uid('availability-staff');
  const select = h('select', { id: selectId });
  const editorBox = h('div', { class: 'availability-editor' });
  let items = [];

  function show(staffId) {
    const current = items.find((a) => a.staff_id === staffId);
    if (!current) { replace(editorBox); return; }
    replace(editorBox, staffForm(current, editor, (saved) => {
      items = items.map((a) => (a.staff_id === saved.staff_id ? saved : a));
      message.success(t('availability.saved', { name: saved.staff_name }));
    }, message));
  }

  async function load() {
    try {
      items = (await api.listAvailability()).items;
      replace(select, items.map((a) => h('option', { value: a.staff_id }, a.staff_name)));
      show(select.value);
    } catch (error) {
      message.error(error.display);
    }
  }
  select.addEventListener('change', () => { message.clear(); show(select.value); });
  load();
  return {
    title: t('settings.availability'),
    node: h('div', { class: 'settings-page availability-page' },
      h('h2', {}, t('settings.availability')),
      h('p', { class: 'muted' }, t('availability.intro')),
      // Hours and time off are the business's wall clock, whatever zone this browser is in.
      zoneDiffers() ? h('p', { class: 'muted', 'data-testid': 'availability-zone' }, t('appointments.zone_note', { zone: zoneLabel() })) : null,
      h('div', { class: 'field availability-pick' }, h('label', { for: selectId }, t('availability.staff')), select),
      message.el, editorBox,
      calendarSettingsSection({ canEdit: editor })),
  };
}

function staffForm(availability, editor, saved, message) {
  const hours = hoursEditor({ days: availability.days, holidays: availability.days_off }, !editor, {
    legend: t('availability.week', { name: availability.staff_name }), hint: t('availability.week_hint'),
    holidays: { legend: t('availability.days_off'), hint: t('availability.days_off_hint'), none: t('availability.days_off_none'),
      add: t('availability.add_day_off') },
  });
  const timeOff = timeOffEditor(availability.time_off, !editor);
  const form = h('form', { class: 'form assistant-settings-form availability-form', novalidate: true }, hours.wrap, timeOff.wrap,
    editor ? h('div', { class: 'actions' }, submit(t('availability.save'))) : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    hours.clearErrors();
    const week = hours.value();
    await busy(form, async () => {
      try {
        saved(await api.updateAvailability(availability.staff_id, { days: week.days, days_off: week.holidays, time_off: timeOff.value() }));
      } catch (error) {
        message.error(error.display);
      }
    });
  });
  return form;
}

/** Time off: periods (a morning at the doctor, a week of holiday), each with an optional note. */
function timeOffEditor(initial, locked) {
  const list = h('ul', { class: 'time-off-list' });
  const empty = h('p', { class: 'muted' }, t('availability.time_off_none'));
  const add = h('button', { type: 'button', class: 'button button-small', disabled: locked, onclick: () => {
    const start = new Date(); start.setMinutes(0, 0, 0); start.setHours(start.getHours() + 1);
    row({ start: start.toISOString(), end: new Date(start.getTime() + 3600000).toISOString(), note: '' }).start.focus();
  } }, t('availability.add_time_off'));
  const rows = [];
  function refresh() { empty.hidden = rows.length > 0; }
  function row(period) {
    const n = rows.length + 1;
    const start = h('input', { type: 'datetime-local', value: localInput(period.start), disabled: locked, 'aria-label': t('availability.time_off_start', { n }) });
    const end = h('input', { type: 'datetime-local', value: localInput(period.end), disabled: locked, 'aria-label': t('availability.time_off_end', { n }) });
    const note = h('input', { type: 'text', value: period.note || null, disabled: locked, maxlength: '200', placeholder: t('availability.time_off_note'),
      'aria-label': t('availability.time_off_note_n', { n }) });
    const entry = { start, end, note };
    const li = h('li', { class: 'time-off-row' }, start, h('span', { 'aria-hidden': 'true' }, '–'), end, note,
      h('button', { type: 'button', class: 'button button-small', disabled: locked, onclick: () => { rows.splice(rows.indexOf(entry), 1); li.remove(); refresh(); add.focus(); } },
        t('availability.remove'), h('span', { class: 'visually-hidden' }, ` ${t('availability.time_off_n', { n })}`)));
    rows.push(entry);
    list.append(li);
    refresh();
    return entry;
  }
  (initial || []).forEach(row);
  refresh();
  return {
    wrap: h('fieldset', { class: 'time-off' }, h('legend', {}, t('availability.time_off')),
      h('p', { class: 'field-hint' }, t('availability.time_off_hint')), empty, list, h('div', {}, add)),
    value: () => rows.filter((r) => r.start.value && r.end.value)
      .map((r) => ({ start: fromLocalInput(r.start.value), end: fromLocalInput(r.end.value), note: r.note.value.trim() || null })),
  };
}

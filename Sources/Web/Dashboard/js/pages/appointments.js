// Appointments: the day, the week or a list, for everyone or one staff member. Bookings made by
// the assistant, the API or another tab appear live (appointment.created / .updated); the front
// desk books by hand, moves, cancels and marks what happened. /appointments/contact/<id> is one
// customer's history; /appointments?appointment=<id> opens that appointment's day with its card
// picked out (the Chats contact pane links there). A phone starts with the list. Days and times
// are the business's, in its time zone, which the page names when the browser is elsewhere.

import { api } from '../api.js';
import { openDialog } from '../dialogs.js';
import { h, replace, uid } from '../dom.js';
import { messageArea } from '../forms.js';
import { t } from '../i18n.js';
import { live } from '../live.js';
import { zoneDiffers } from '../zone.js';
import { appointmentCard, appointmentChip, staffLabel } from './appointments-card.js';
import { bookDialog, cancelDialog, moveDialog } from './appointments-dialogs.js';
import { addDays, civilDate, dayLabel, fromCivilDate, sameDay, startOfDay, startOfWeek, zoneLabel } from './appointments-time.js';

const VIEWS = ['day', 'week', 'list'];
const LIST_DAYS = 30;

export function appointmentsPage(context, path) {
  const contactId = path.startsWith('/appointments/contact/') ? decodeURIComponent(path.slice('/appointments/contact/'.length)) : null;
  const narrow = window.matchMedia('(max-width: 767.98px)').matches;
  const state = { view: contactId ? 'list' : (narrow ? 'list' : 'day'), anchor: startOfDay(new Date()), staffId: '', items: [], generation: 0 };
  // The appointment a link points at: its day is shown, its card scrolled to, picked out and focused.
  let target = contactId ? null : new URLSearchParams(location.search).get('appointment');
  let staff = [];
  let services = [];
  const message = messageArea();
  const notice = h('div', { class: 'message message-notice', role: 'status', hidden: true, 'data-testid': 'appointment-notice' });
  const board = h('div', { class: 'appt-board', 'aria-live': 'polite' });
  const rangeLabel = h('h2', { class: 'appt-range' });

  const staffName = (id) => { const member = staff.find((s) => s.id === id); return member ? member.name : null; };

  function range() {
    if (state.view === 'day') return [state.anchor, addDays(state.anchor, 1)];
    if (state.view === 'week') { const monday = startOfWeek(state.anchor); return [monday, addDays(monday, 7)]; }
    return [state.anchor, addDays(state.anchor, LIST_DAYS)];
  }

  async function load() {
    const mine = ++state.generation;
    message.clear();
    try {
      let items;
      if (contactId) items = (await api.contactAppointments(contactId)).items;
      else {
        const [from, to] = range();
        items = (await api.listAppointments({ from: from.toISOString(), to: to.toISOString(), staffId: state.staffId || null })).items;
      }
      if (mine !== state.generation) return;
      state.items = items;
      render();
      pickOut();
    } catch (error) {
      if (mine === state.generation) message.error(error.display);
    }
  }

  /** Marks the linked appointment's card; the first time (or when a redraw took the focus with
   *  the old card) also scrolls to it and moves the focus there. */
  let picked = null;
  function pickOut(refocus = false) {
    const id = target || picked;
    const card = id && [...board.querySelectorAll('.appt, .appt-chip')].find((el) => el.dataset.id === id);
    if (!card) return;
    card.classList.add('appt-target');
    if (card.tagName === 'ARTICLE') card.tabIndex = -1;
    if (target || refocus) {
      if (target) card.scrollIntoView({ block: 'center' });
      card.focus({ preventScroll: true });
    }
    picked = id;
    target = null;
  }

  /** Whether a live appointment belongs on the board as it is now. */
  function belongs(appointment) {
    if (contactId) return appointment.contact_id === contactId;
    const [from, to] = range();
    const start = new Date(appointment.start);
    return start >= from && start < to && (!state.staffId || appointment.staff_id === state.staffId);
  }

  function upsert(appointment) {
    const others = state.items.filter((item) => item.id !== appointment.id);
    state.items = belongs(appointment) ? [...others, appointment] : others;
    render();
  }

  /** After a change made here: show what the server could not do (the customer was not told). */
  function changed(appointment, successKey) {
    if (!appointment) return;
    upsert(appointment);
    if (appointment.notice) { notice.textContent = t('appointments.notice', { notice: appointment.notice }); notice.hidden = false; }
    else { notice.hidden = true; message.success(t(successKey)); }
  }

  const actions = {
    async mark(appointment, status) {
      message.clear();
      try { changed(await api.updateAppointment(appointment.id, { status }), `appointments.marked_${status}`); } catch (error) { message.error(error.display); }
    },
    async move(appointment) { changed(await moveDialog(appointment, { services, staff, staffName }), 'appointments.moved'); },
    async cancel(appointment) { changed(await cancelDialog(appointment), 'appointments.cancelled'); },
  };

  const cardOptions = () => ({ staffName, actions });
  const sorted = (items) => [...items].sort((a, b) => a.start.localeCompare(b.start));

  function openCard(appointment) {
    openDialog(`${appointment.service_name} · ${dayLabel(appointment.start)}`, (close) => [
      appointmentCard(appointment, { staffName, actions: {
        mark: (a, s) => { close(); actions.mark(a, s); },
        move: (a) => { close(); actions.move(a); },
        cancel: (a) => { close(); actions.cancel(a); },
      } }),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: close }, t('appointments.close')))]);
  }

  function render() {
    const [from, to] = range();
    for (const button of viewButtons) button.setAttribute('aria-pressed', String(button.dataset.view === state.view));
    rangeLabel.textContent = contactId ? t('appointments.history_title')
      : state.view === 'day' ? dayLabel(from, { long: true })
        : t('appointments.range', { from: dayLabel(from), to: dayLabel(addDays(to, -1)) });
    dateInput.value = civilDate(state.anchor);
    board.dataset.view = state.view;
    const items = sorted(state.items);
    const focused = picked && board.contains(document.activeElement) && document.activeElement.dataset.id === picked;
    if (state.view === 'day') replace(board, dayView(items));
    else if (state.view === 'week') replace(board, weekView(items, from));
    else replace(board, listView(contactId ? [...items].reverse() : items));
    if (picked && !target) pickOut(focused);
  }

  /** The day: one column per staff member with bookings (everyone's columns side by side). */
  function dayView(items) {
    if (!items.length) return h('p', { class: 'empty-state appt-empty' }, t('appointments.empty_day'));
    const byStaff = new Map();
    for (const item of items) {
      if (!byStaff.has(item.staff_id)) byStaff.set(item.staff_id, []);
      byStaff.get(item.staff_id).push(item);
    }
    return h('div', { class: 'appt-day' }, [...byStaff.values()].map((list) => h('section', { class: 'appt-column' },
      h('h3', {}, staffLabel(list[0], staffName)),
      list.map((item) => appointmentCard(item, cardOptions())))));
  }

  function weekView(items, monday) {
    return h('div', { class: 'appt-week' }, [0, 1, 2, 3, 4, 5, 6].map((offset) => {
      const day = addDays(monday, offset);
      const todays = items.filter((item) => sameDay(item.start, day));
      return h('section', { class: `appt-week-day${sameDay(day, new Date()) ? ' appt-today' : ''}`, 'data-day': civilDate(day) },
        h('h3', {}, h('button', { type: 'button', class: 'appt-day-link', onclick: () => { state.view = 'day'; state.anchor = day; load(); } }, dayLabel(day))),
        todays.length ? h('ul', { class: 'appt-chips' }, todays.map((item) => h('li', {}, appointmentChip(item, { staffName, open: openCard }))))
          : h('p', { class: 'muted appt-none' }, t('appointments.none')));
    }));
  }

  function listView(items) {
    if (!items.length) return h('p', { class: 'empty-state appt-empty' }, t(contactId ? 'appointments.empty_history' : 'appointments.empty_list'));
    const groups = [];
    for (const item of items) {
      const last = groups[groups.length - 1];
      if (last && sameDay(last.day, item.start)) last.items.push(item); else groups.push({ day: new Date(item.start), items: [item] });
    }
    return h('div', { class: 'appt-list' }, groups.map((group) => h('section', { class: 'appt-list-day' },
      h('h3', {}, dayLabel(group.day, { long: true })),
      group.items.map((item) => appointmentCard(item, cardOptions())))));
  }

  function shift(direction) {
    const step = state.view === 'day' ? 1 : state.view === 'week' ? 7 : LIST_DAYS;
    state.anchor = addDays(state.anchor, direction * step);
    load();
  }

  const viewButtons = VIEWS.map((view) => h('button', {
    type: 'button', class: 'button button-small', 'data-view': view, 'aria-pressed': 'false',
    onclick: () => { state.view = view; load(); },
  }, t(`appointments.view_${view}`)));
  const dateId = uid('appt-date');
  const dateInput = h('input', { id: dateId, type: 'date', class: 'appt-date',
    onchange: () => { if (dateInput.value) { state.anchor = fromCivilDate(dateInput.value); load(); } } });
  const staffId = uid('appt-staff');
  const staffSelect = h('select', { id: staffId, onchange: () => { state.staffId = staffSelect.value; load(); } },
    h('option', { value: '' }, t('appointments.everyone')));
  const newButton = h('button', { type: 'button', class: 'button button-primary', 'data-action': 'new-appointment',
    onclick: async () => {
      const saved = await bookDialog({ services, staff, staffName, day: state.anchor < startOfDay(new Date()) ? new Date() : state.anchor });
      changed(saved, 'appointments.booked');
    } }, t('appointments.new'));

  const toolbar = contactId ? h('p', {}, h('a', { href: '/appointments' }, t('appointments.back'))) : h('div', { class: 'appt-toolbar' },
    h('div', { class: 'appt-views', role: 'group', 'aria-label': t('appointments.view') }, viewButtons),
    h('div', { class: 'appt-nav' },
      h('button', { type: 'button', class: 'button button-small', 'data-action': 'previous', onclick: () => shift(-1) },
        h('span', { 'aria-hidden': 'true' }, '‹'), h('span', { class: 'visually-hidden' }, t('appointments.previous'))),
      h('button', { type: 'button', class: 'button button-small', 'data-action': 'today', onclick: () => { state.anchor = startOfDay(new Date()); load(); } }, t('appointments.today')),
      h('button', { type: 'button', class: 'button button-small', 'data-action': 'next', onclick: () => shift(1) },
        h('span', { 'aria-hidden': 'true' }, '›'), h('span', { class: 'visually-hidden' }, t('appointments.next'))),
      h('label', { for: dateId, class: 'visually-hidden' }, t('appointments.go_to_day')), dateInput),
    h('div', { class: 'field appt-filter' }, h('label', { for: staffId }, t('appointments.staff_filter')), staffSelect),
    newButton,
    h('a', { class: 'button appt-feeds-link', href: '/appointments/feeds' }, t('appointments.calendar_feeds')));

  // Names for the staff filter and the cards: the availability list names every enabled member
  // and is readable by everyone who sees Chats (Agents cannot list staff).
  Promise.all([api.listAvailability(), api.listServices()]).then(([availability, list]) => {
    staff = availability.items.map((a) => ({ id: a.staff_id, name: a.staff_name }));
    services = list.items;
    for (const member of staff) staffSelect.append(h('option', { value: member.id }, member.name));
    render();
  }, (error) => message.error(error.display));

  const unsubscribe = live.subscribe((liveState, event) => {
    if (event && (event.type === 'appointment.created' || event.type === 'appointment.updated') && event.data) upsert(event.data);
  });
  if (target) {
    api.getAppointment(target).then((appointment) => {
      state.anchor = startOfDay(appointment.start);
      if (state.view === 'week') state.view = 'day';
      load();
    }, (error) => { target = null; message.error(`${t('appointments.not_found')} ${error.display}`); load(); });
  } else load();
  const zoneNote = zoneDiffers() ? h('p', { class: 'muted appt-zone', 'data-testid': 'appointments-zone' },
    t('appointments.zone_note', { zone: zoneLabel() })) : null;
  return {
    title: t('nav.appointments'),
    cleanup: unsubscribe,
    node: h('section', { class: 'page appointments-page' },
      h('h1', {}, t('nav.appointments')), zoneNote, toolbar, message.el, notice, rangeLabel, board),
  };
}

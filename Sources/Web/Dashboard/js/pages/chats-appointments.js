// The open conversation's contact's appointments (GET /api/v1/contacts/{id}/appointments): what
// is coming, soonest first, and what happened, newest first — a no-show says so — each linking to
// the Appointments page at that appointment. Folded like the insights above it, its summary
// naming the next visit, so a phone keeps the room for the messages. Live bookings update it.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { statusBadge } from './appointments-card.js';
import { dateTimeLabel } from './appointments-time.js';

const OPEN = ['pending', 'booked', 'confirmed'];

/** The Appointments page at one appointment (its day, the card picked out). */
export function appointmentPath(id) {
  return `/appointments?appointment=${encodeURIComponent(id)}`;
}

export function contactAppointments() {
  const summary = h('summary', { class: 'contact-insights-summary' });
  const body = h('div', { class: 'contact-insights-body' });
  const node = h('details', { class: 'contact-insights contact-appointments', 'data-contact-appointments': '', hidden: true }, summary, body);
  let contactId = null;
  let items = [];
  let generation = 0;

  async function load() {
    const mine = ++generation;
    try {
      const answer = await api.contactAppointments(contactId);
      if (mine !== generation) return;
      items = answer.items;
    } catch {
      // An Agent may not read every contact's history: the pane stays folded away.
      if (mine !== generation) return;
      items = [];
    }
    render();
  }

  function render() {
    node.hidden = items.length === 0;
    if (!items.length) { replace(summary); replace(body); return; }
    const now = Date.now();
    const upcoming = items.filter((a) => new Date(a.start).getTime() >= now).sort((a, b) => a.start.localeCompare(b.start));
    const past = items.filter((a) => new Date(a.start).getTime() < now).sort((a, b) => b.start.localeCompare(a.start));
    const next = upcoming.find((a) => OPEN.includes(a.status));
    replace(summary, h('span', {}, t('chats.appointments.title')), ' ',
      h('span', { class: 'muted contact-appointments-next' },
        next ? t('chats.appointments.next', { when: dateTimeLabel(next.start) }) : t('chats.appointments.count', { count: items.length })));
    replace(body,
      section('upcoming', t('chats.appointments.upcoming'), upcoming, t('chats.appointments.none_upcoming')),
      past.length ? section('past', t('chats.appointments.past'), past, null) : null,
      h('p', {}, h('a', { href: `/appointments/contact/${encodeURIComponent(contactId)}` }, t('chats.appointments.all'))));
  }

  function section(kind, title, list, empty) {
    return h('section', { class: 'contact-appointments-group', 'data-group': kind },
      h('h3', { class: 'contact-label' }, title),
      list.length ? h('ul', { class: 'contact-appointments-list' }, list.map(row)) : h('p', { class: 'muted' }, empty));
  }

  function row(appointment) {
    const who = appointment.staff_name ? t('appointments.with', { name: appointment.staff_name }) : null;
    return h('li', { class: 'contact-appointment', 'data-id': appointment.id, 'data-status': appointment.status },
      h('a', { href: appointmentPath(appointment.id) },
        h('time', { datetime: appointment.start }, dateTimeLabel(appointment.start)), ' · ', appointment.service_name),
      ' ', statusBadge(appointment.status),
      who ? h('span', { class: 'muted' }, ` ${who}`) : null);
  }

  return {
    node,
    /** Shows `id`'s appointments (again only when the contact changed). */
    setContact(id) {
      if (id === contactId) return;
      contactId = id;
      items = [];
      render();
      load();
    },
    /** A live appointment.created / .updated: kept when it is this contact's. */
    changed(appointment) {
      if (!contactId || appointment.contact_id !== contactId) return;
      items = [...items.filter((a) => a.id !== appointment.id), appointment];
      render();
    },
  };
}

// One appointment as the front desk sees it: when, what, who, with whom, its status, links to
// its conversation and to the customer's history, and what can be done with it now.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { dayLabel, timeLabel, timeRange } from './appointments-time.js';

const OPEN = ['pending', 'booked', 'confirmed'];

export function customerName(appointment) {
  return appointment.contact_name || appointment.contact_phone || t('appointments.unknown_customer');
}

export function staffLabel(appointment, staffName) {
  return appointment.staff_name || staffName(appointment.staff_id) || t('appointments.unknown_staff');
}

export function statusBadge(status) {
  return h('span', { class: `badge appt-status appt-status-${status}`, 'data-status': status }, t(`appointments.status.${status}`));
}

/**
 * The full card. `actions` holds mark(appointment, status), move(appointment) and
 * cancel(appointment); `showDay` adds the date to the time (history, dialogs).
 */
export function appointmentCard(appointment, { staffName, actions, showDay = false }) {
  const customer = customerName(appointment);
  const label = `${appointment.service_name} · ${customer} · ${timeLabel(appointment.start)}`;
  return h('article', { class: 'appt', 'data-id': appointment.id, 'data-status': appointment.status, 'aria-label': label },
    h('p', { class: 'appt-time' },
      showDay ? h('span', { class: 'appt-day' }, dayLabel(appointment.start), ' ') : null,
      h('time', { datetime: appointment.start }, timeRange(appointment.start, appointment.end))),
    h('div', { class: 'appt-main' },
      h('p', { class: 'appt-service' }, appointment.service_name, ' ', statusBadge(appointment.status)),
      h('p', { class: 'appt-who' },
        appointment.conversation_id
          ? h('a', { class: 'appt-customer', href: `/chats/${encodeURIComponent(appointment.conversation_id)}` }, customer)
          : h('span', { class: 'appt-customer' }, customer),
        appointment.contact_phone && appointment.contact_name ? h('span', { class: 'muted' }, ` ${appointment.contact_phone}`) : null),
      h('p', { class: 'appt-staff muted' }, t('appointments.with', { name: staffLabel(appointment, staffName) })),
      appointment.note ? h('p', { class: 'appt-note' }, appointment.note) : null,
      // Google refused the event for good (a retry would not help): say so where it is seen.
      appointment.google_calendar?.error
        ? h('p', { class: 'appt-sync-error', role: 'status' }, t('appointments.google_error', { error: appointment.google_calendar.error }))
        : null,
      h('p', { class: 'appt-links' },
        appointment.conversation_id
          ? h('a', { href: `/chats/${encodeURIComponent(appointment.conversation_id)}` }, t('appointments.open_conversation'))
          : null,
        appointment.conversation_id ? ' · ' : null,
        h('a', { href: `/appointments/contact/${encodeURIComponent(appointment.contact_id)}` }, t('appointments.customer_history')))),
    actions ? actionButtons(appointment, actions, label) : null);
}

/** The buttons that make sense for the appointment's status and time. */
function actionButtons(appointment, actions, label) {
  if (!OPEN.includes(appointment.status)) return null;
  const started = new Date(appointment.start).getTime() <= Date.now();
  const button = (action, text, onclick, extra = '') => h('button', {
    type: 'button', class: `button button-small${extra}`, 'data-action': action, onclick,
  }, text, h('span', { class: 'visually-hidden' }, ` ${label}`));
  return h('div', { class: 'row-actions appt-actions' },
    appointment.status !== 'confirmed' && !started
      ? button('confirm', t('appointments.confirm'), () => actions.mark(appointment, 'confirmed')) : null,
    started ? button('completed', t('appointments.completed'), () => actions.mark(appointment, 'completed')) : null,
    started ? button('no_show', t('appointments.no_show'), () => actions.mark(appointment, 'no_show')) : null,
    button('move', t('appointments.move'), () => actions.move(appointment)),
    button('cancel', t('appointments.cancel'), () => actions.cancel(appointment), ' button-danger'));
}

/** A short line for the week grid: the time and service, the customer under them. Opens the card. */
export function appointmentChip(appointment, { staffName, open }) {
  const customer = customerName(appointment);
  return h('button', {
    type: 'button', class: 'appt-chip', 'data-id': appointment.id, 'data-status': appointment.status,
    onclick: () => open(appointment),
  },
  h('span', { class: 'appt-chip-time' }, timeLabel(appointment.start)),
  h('span', { class: 'appt-chip-service' }, appointment.service_name),
  h('span', { class: 'appt-chip-customer' }, customer),
  h('span', { class: 'appt-chip-staff muted' }, staffLabel(appointment, staffName)),
  h('span', { class: 'visually-hidden' }, ` ${t(`appointments.status.${appointment.status}`)}`));
}

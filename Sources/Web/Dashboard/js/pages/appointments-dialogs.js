// Booking by hand, moving and cancelling: dialogs over the Appointments page. Each resolves with
// the server's Appointment (which may carry `notice`: the customer could not be told) or null.

import { api } from '../api.js';
import { openDialog } from '../dialogs.js';
import { h, replace, uid } from '../dom.js';
import { busy, field, messageArea, submit } from '../forms.js';
import { t } from '../i18n.js';
import { customerName } from './appointments-card.js';
import { slotChooser, takenOptions } from './appointments-slots.js';
import { dayLabel, timeRange } from './appointments-time.js';
import { contactName } from './chats-channel.js';

function closeButton(close, key = 'common.cancel') {
  return h('button', { type: 'button', class: 'button', onclick: close }, t(key));
}

/** Staff options for a service: those who perform it (everyone until a service is chosen). */
function staffOptions(service, staff, anyone = true) {
  const allowed = service ? staff.filter((s) => service.staff_ids.includes(s.id)) : staff;
  return [...(anyone ? [['', t('appointments.anyone')]] : []), ...allowed.map((s) => [s.id, s.name])];
}

/**
 * Sends `attempt(start, staffId)`; on 409 slot_taken shows the server's message and its nearest
 * free times, each of which tries again. Resolves the dialog with the saved appointment.
 */
function attempter({ form, message, options, chooser, done }) {
  return async function attempt(start, staffId, send) {
    message.clear();
    replace(options);
    await busy(form, async () => {
      try {
        done(await send(start, staffId));
      } catch (error) {
        message.error(error.display);
        if (error.code === 'slot_taken') {
          replace(options, takenOptions(error, (other) => attempt(other, staffId, send)));
          chooser.reload();
        }
      }
    });
  };
}

/** Book by hand: a conversation (its contact is the customer), a service, optionally a person, a time. */
export function bookDialog({ services, staff, staffName, day }) {
  return new Promise((resolve) => {
    let result = null;
    const { dialog } = openDialog(t('appointments.new_title'), (close) => {
      const message = messageArea();
      const options = h('div', { class: 'slot-options-wrap', 'aria-live': 'polite' });
      let conversation = null;

      // The customer: search conversations by name or number, pick one.
      const searchId = uid('appt-search');
      const search = h('input', { id: searchId, type: 'search', name: 'q', autocomplete: 'off', placeholder: t('appointments.search_placeholder') });
      const results = h('ul', { class: 'appt-search-results', 'aria-label': t('appointments.search_results') });
      const chosen = h('p', { class: 'appt-chosen', hidden: true });
      let timer = null;
      async function find() {
        try {
          const answer = await api.listConversations({ filter: 'all', q: search.value.trim() });
          replace(results, answer.items.slice(0, 8).map((c) => {
            const name = contactName(c.contact);
            return h('li', {}, h('button', { type: 'button', class: 'button button-small appt-pick', 'data-conversation': c.id,
              onclick: () => choose(c.id, name, c.contact.phone || c.contact.wa_id) }, name,
            c.contact.phone && c.contact.display_name ? h('span', { class: 'muted' }, ` ${c.contact.phone}`) : null));
          }));
          if (!answer.items.length) replace(results, h('li', { class: 'muted' }, t('appointments.search_none')));
        } catch (error) {
          message.error(error.display);
        }
      }
      function choose(id, name, phone) {
        conversation = { id, name };
        replace(chosen, h('strong', {}, name), phone && phone !== name ? ` ${phone}` : '', ' ',
          h('button', { type: 'button', class: 'button button-small', onclick: () => { conversation = null; chosen.hidden = true; searchBox.hidden = false; search.focus(); } },
            t('appointments.change_customer')));
        chosen.hidden = false;
        searchBox.hidden = true;
      }
      search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(find, 250); });
      const searchBox = h('div', { class: 'field' }, h('label', { for: searchId }, t('appointments.customer')), search, results);

      const active = services.filter((s) => s.active);
      const service = field({ label: t('appointments.service'), name: 'service_id', value: '',
        options: [['', t('appointments.choose_service')], ...active.map((s) => [s.id, s.name])] });
      const person = field({ label: t('appointments.staff'), name: 'staff_id', required: false, value: '', options: staffOptions(null, staff) });
      const note = field({ label: t('appointments.note'), name: 'note', type: 'textarea', rows: 2, required: false });
      const chooser = slotChooser({ query: () => ({ serviceId: service.input.value, staffId: person.input.value }), staffName, day });
      service.input.addEventListener('change', () => {
        const picked = active.find((s) => s.id === service.input.value);
        const keep = person.input.value;
        replace(person.input, staffOptions(picked, staff).map(([value, text]) => h('option', { value, selected: value === keep }, text)));
        chooser.reload();
      });
      person.input.addEventListener('change', () => chooser.reload());

      const form = h('form', { class: 'form appt-form', novalidate: true },
        searchBox, chosen, service.wrap, person.wrap, chooser.wrap, note.wrap, message.el, options,
        h('div', { class: 'actions' }, closeButton(close), submit(t('appointments.book'))));
      const attempt = attempter({ form, message, options, chooser, done: (saved) => { result = saved; close(); } });
      const send = (start, staffId) => api.book({ service_id: service.input.value, staff_id: staffId || null, start,
        conversation_id: conversation.id, note: note.input.value.trim() || null });
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        message.clear();
        if (!conversation) { message.error(t('appointments.choose_customer')); search.focus(); return; }
        if (!service.input.value) { service.setError(t('appointments.choose_service')); service.input.focus(); return; }
        const slot = chooser.selected();
        if (!slot) { message.error(t('appointments.choose_time')); return; }
        attempt(slot.start, person.input.value || slot.staff_id, send);
      });
      chooser.reload();
      find();
      return [form];
    });
    dialog.addEventListener('close', () => resolve(result));
  });
}

/** Move: the same service, a new time (and maybe another person). The customer is told. */
export function moveDialog(appointment, { services, staff, staffName }) {
  return new Promise((resolve) => {
    let result = null;
    const { dialog } = openDialog(t('appointments.move_title', { name: customerName(appointment) }), (close) => {
      const message = messageArea();
      const options = h('div', { class: 'slot-options-wrap', 'aria-live': 'polite' });
      const service = services.find((s) => s.id === appointment.service_id) || null;
      const people = staffOptions(service, staff, false);
      if (!people.some(([id]) => id === appointment.staff_id)) people.unshift([appointment.staff_id, staffName(appointment.staff_id) || appointment.staff_name || '—']);
      const person = field({ label: t('appointments.staff'), name: 'staff_id', value: appointment.staff_id, options: people });
      const chooser = slotChooser({ query: () => ({ serviceId: appointment.service_id, staffId: person.input.value }), staffName,
        day: new Date(appointment.start) < new Date() ? new Date() : new Date(appointment.start) });
      person.input.addEventListener('change', () => chooser.reload());
      const form = h('form', { class: 'form appt-form', novalidate: true },
        h('p', {}, t('appointments.move_now', { service: appointment.service_name, day: dayLabel(appointment.start),
          time: timeRange(appointment.start, appointment.end) })),
        person.wrap, chooser.wrap, message.el, options,
        h('div', { class: 'actions' }, closeButton(close), submit(t('appointments.move_submit'))));
      const attempt = attempter({ form, message, options, chooser, done: (saved) => { result = saved; close(); } });
      const send = (start, staffId) => api.updateAppointment(appointment.id, { start, staff_id: staffId });
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const slot = chooser.selected();
        if (!slot) { message.error(t('appointments.choose_time')); return; }
        attempt(slot.start, person.input.value, send);
      });
      chooser.reload();
      return [form];
    });
    dialog.addEventListener('close', () => resolve(result));
  });
}

/** Cancel, with an optional reason the customer is told; asks before doing it. */
export function cancelDialog(appointment) {
  return new Promise((resolve) => {
    let result = null;
    const { dialog } = openDialog(t('appointments.cancel_title', { name: customerName(appointment) }), (close) => {
      const message = messageArea();
      const reason = field({ label: t('appointments.cancel_reason'), name: 'reason', type: 'textarea', rows: 2, required: false,
        hint: t('appointments.cancel_reason_hint') });
      const form = h('form', { class: 'form', novalidate: true },
        h('p', {}, t('appointments.cancel_warning', { service: appointment.service_name, day: dayLabel(appointment.start),
          time: timeRange(appointment.start, appointment.end) })),
        reason.wrap, message.el,
        h('div', { class: 'actions' }, closeButton(close, 'appointments.keep'),
          h('button', { type: 'submit', class: 'button button-danger', 'data-action': 'confirm-cancel' }, t('appointments.cancel_submit'))));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        message.clear();
        await busy(form, async () => {
          try {
            result = await api.cancelAppointment(appointment.id, reason.input.value.trim());
            close();
          } catch (error) {
            message.error(error.display);
          }
        });
      });
      return [form];
    });
    dialog.addEventListener('close', () => resolve(result));
  });
}

// Settings → Services: what can be booked, how long it takes, its price in reais (typed with a
// decimal comma, stored as cents; empty is "on request"), the pause after it, and who performs
// it. Admins and Managers (dashboard: full) change them; others with Settings read them.

import { can } from '../access.js';
import { api } from '../api.js';
import { confirmDialog, openDialog } from '../dialogs.js';
import { h, uid } from '../dom.js';
import { busy, field, messageArea, showError, submit } from '../forms.js';
import { t } from '../i18n.js';
import { durationLabel, formatMoney, moneyInput, parseMoney } from './appointments-time.js';
import { cell } from './settings.js';

export function servicesPage(context) {
  const editor = can(context.session.permissions, 'dashboard', 'full');
  const message = messageArea();
  const body = h('tbody');
  const empty = h('p', { class: 'muted', hidden: true }, t('services.empty'));
  let staff = [];

  const names = (ids) => ids.map((id) => (staff.find((s) => s.id === id) || { name: '—' }).name).join(', ') || t('services.nobody');

  async function reload() {
    try {
      const [availability, list] = await Promise.all([api.listAvailability(), api.listServices()]);
      staff = availability.items.map((a) => ({ id: a.staff_id, name: a.staff_name }));
      body.replaceChildren(...list.items.map(row));
      empty.hidden = list.items.length > 0;
    } catch (error) {
      message.error(error.display);
    }
  }

  function row(service) {
    return h('tr', { 'data-id': service.id },
      cell(t('services.name'), service.name, service.active ? null : h('span', { class: 'badge badge-off' }, ` ${t('services.inactive')}`)),
      cell(t('services.duration'), durationLabel(service.duration_minutes),
        service.buffer_after_minutes ? h('span', { class: 'muted' }, ` + ${t('services.minutes', { n: service.buffer_after_minutes })}`) : null),
      cell(t('services.price'), formatMoney(service.price_cents)),
      cell(t('services.staff'), names(service.staff_ids)),
      editor ? cell(t('services.actions'), h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button button-small', onclick: () => edit(service) }, t('services.edit'),
          h('span', { class: 'visually-hidden' }, ` ${service.name}`)),
        h('button', { type: 'button', class: 'button button-small button-danger', onclick: () => remove(service) }, t('services.delete'),
          h('span', { class: 'visually-hidden' }, ` ${service.name}`)))) : null);
  }

  function edit(service) {
    openDialog(service ? t('services.edit_title', { name: service.name }) : t('services.add'), (close) =>
      [serviceForm(service, staff, (saved) => { close(); message.success(t('services.saved', { name: saved.name })); reload(); }, close)]);
  }

  async function remove(service) {
    if (!(await confirmDialog(t('services.delete_title', { name: service.name }), t('services.delete_warning'), t('services.delete')))) return;
    try { await api.deleteService(service.id); message.success(t('services.deleted', { name: service.name })); reload(); } catch (error) { message.error(error.display); }
  }

  const headers = [t('services.name'), t('services.duration'), t('services.price'), t('services.staff')];
  if (editor) headers.push(t('services.actions'));
  reload();
  return {
    title: t('settings.services'),
    node: h('div', { class: 'settings-page services-page' },
      h('h2', {}, t('settings.services')),
      h('p', { class: 'muted' }, t('services.intro')),
      editor ? h('p', {}, h('button', { type: 'button', class: 'button button-primary', 'data-action': 'add-service', onclick: () => edit(null) }, t('services.add'))) : null,
      message.el,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table responsive-table' },
        h('caption', { class: 'visually-hidden' }, t('settings.services')),
        h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))), body)),
      empty),
  };
}

function serviceForm(service, staff, done, close) {
  const s = service || { name: '', duration_minutes: 60, price_cents: null, buffer_after_minutes: 0, staff_ids: staff.map((m) => m.id),
    needs_confirmation: false, aliases: [], active: true };
  const name = field({ label: t('services.name'), name: 'name', value: s.name });
  const duration = field({ label: t('services.duration_minutes'), name: 'duration_minutes', type: 'number', value: String(s.duration_minutes) });
  const price = field({ label: t('services.price_reais'), name: 'price_cents', required: false, value: moneyInput(s.price_cents), hint: t('services.price_hint') });
  price.input.setAttribute('inputmode', 'decimal');
  price.input.setAttribute('placeholder', '80,00');
  const buffer = field({ label: t('services.buffer'), name: 'buffer_after_minutes', type: 'number', required: false,
    value: String(s.buffer_after_minutes), hint: t('services.buffer_hint') });
  const aliases = field({ label: t('services.aliases'), name: 'aliases', required: false, value: s.aliases.join(', '), hint: t('services.aliases_hint') });
  const checks = staff.map((member) => {
    const id = uid('service-staff');
    const input = h('input', { id, type: 'checkbox', value: member.id, checked: s.staff_ids.includes(member.id) });
    return { input, wrap: h('div', { class: 'field-check' }, input, h('label', { for: id }, member.name)) };
  });
  const staffError = h('p', { class: 'field-error', hidden: true });
  const staffField = { get input() { return checks[0] ? checks[0].input : name.input; },
    setError(text) { staffError.textContent = text || ''; staffError.hidden = !text; } };
  const check = (label, value) => {
    const id = uid('service-check');
    const input = h('input', { id, type: 'checkbox', checked: value });
    return { input, wrap: h('div', { class: 'field-check' }, input, h('label', { for: id }, label)) };
  };
  const confirmation = check(t('services.needs_confirmation'), s.needs_confirmation);
  const active = check(t('services.active'), s.active);
  const message = messageArea();
  const form = h('form', { class: 'form', novalidate: true },
    name.wrap, duration.wrap, price.wrap, buffer.wrap,
    h('fieldset', { class: 'service-staff' }, h('legend', {}, t('services.staff')), checks.map((c) => c.wrap), staffError),
    aliases.wrap, confirmation.wrap, active.wrap, message.el,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: close }, t('common.cancel')), submit(t('services.save'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    const cents = parseMoney(price.input.value);
    if (cents === undefined) { price.setError(t('services.price_invalid')); price.input.focus(); return; }
    const body = {
      name: name.input.value.trim(),
      duration_minutes: Number(duration.input.value),
      price_cents: cents,
      buffer_after_minutes: Number(buffer.input.value || 0),
      staff_ids: checks.filter((c) => c.input.checked).map((c) => c.input.value),
      needs_confirmation: confirmation.input.checked,
      aliases: aliases.input.value.split(',').map((a) => a.trim()).filter(Boolean),
      active: active.input.checked,
    };
    await busy(form, async () => {
      try {
        done(service ? await api.updateService(service.id, body) : await api.createService(body));
      } catch (error) {
        showError(error, message, { name, duration_minutes: duration, price_cents: price, buffer_after_minutes: buffer, aliases, staff_ids: staffField });
      }
    });
  });
  return form;
}

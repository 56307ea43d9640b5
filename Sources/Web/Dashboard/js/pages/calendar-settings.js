// The booking rules (GET/PUT /api/v1/calendar/settings): how soon and how far ahead customers may
// book, the slot grid, the business's holidays, reminders (hours before, and the approved WhatsApp
// template they use outside the 24-hour window), the address sent with confirmations, and whether
// the assistant books in the chat.

import { api } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { busy, field, messageArea, showError, submit } from '../forms.js';
import { t } from '../i18n.js';
import { holidaysEditor } from './assistant-hours.js';
import { googleCalendarSection } from './google-calendar-settings.js';

const GRID = [5, 10, 15, 20, 30, 40, 45, 60, 72, 80, 90, 120];

export function calendarSettingsSection({ canEdit }) {
  const message = messageArea();
  const body = h('div', {}, h('p', { class: 'muted' }, t('calendar.loading')));
  const node = h('section', { class: 'card calendar-settings', 'aria-labelledby': 'calendar-heading' },
    h('h3', { id: 'calendar-heading' }, t('calendar.title')), message.el, body);

  function render(settings) {
    const number = (key, name, value) => field({ label: t(`calendar.${key}`), name, type: 'number', value: String(value), hint: t(`calendar.${key}_hint`) });
    const notice = number('minimum_notice', 'minimum_notice_minutes', settings.minimum_notice_minutes);
    const ahead = number('maximum_days_ahead', 'maximum_days_ahead', settings.maximum_days_ahead);
    const grid = field({ label: t('calendar.granularity'), name: 'granularity_minutes', value: String(settings.granularity_minutes),
      options: GRID.map((m) => [String(m), t('services.minutes', { n: m })]), hint: t('calendar.granularity_hint') });
    const reminders = field({ label: t('calendar.reminder_hours'), name: 'reminder_hours', required: false,
      value: settings.reminder_hours.join(', '), hint: t('calendar.reminder_hours_hint') });
    const current = settings.reminder_template ? `${settings.reminder_template.name}|${settings.reminder_template.language}` : '';
    const template = field({ label: t('calendar.reminder_template'), name: 'reminder_template', required: false, value: current,
      options: [['', t('calendar.no_template')], ...(current ? [[current, current.replace('|', ' · ')]] : [])], hint: t('calendar.reminder_template_hint') });
    api.listTemplates().then((list) => {
      const values = new Set([...template.input.options].map((o) => o.value));
      for (const item of (list.items || []).filter((i) => i.status === 'APPROVED')) {
        const value = `${item.name}|${item.language}`;
        if (!values.has(value)) template.input.append(h('option', { value }, `${item.name} · ${item.language}`));
        values.add(value);
      }
    }).catch(() => {});
    const address = field({ label: t('calendar.address'), name: 'address', required: false, value: settings.address, hint: t('calendar.address_hint') });
    const lapse = number('dialogue_lapse', 'dialogue_lapse_minutes', settings.dialogue_lapse_minutes);
    const chatId = uid('booking-by-chat');
    const byChat = h('input', { id: chatId, type: 'checkbox', checked: settings.booking_by_chat });
    const holidays = holidaysEditor(settings.holidays, !canEdit);
    const fields = { minimum_notice_minutes: notice, maximum_days_ahead: ahead, granularity_minutes: grid, reminder_hours: reminders,
      reminder_template: template, address, dialogue_lapse_minutes: lapse, holidays: holidays.field };
    const controls = h('div', { class: 'form' }, notice.wrap, ahead.wrap, grid.wrap,
      h('div', { class: 'field' }, h('div', { class: 'field-check' }, byChat, h('label', { for: chatId }, t('calendar.booking_by_chat'))),
        h('p', { class: 'field-hint' }, t('calendar.booking_by_chat_hint'))),
      lapse.wrap, reminders.wrap, template.wrap, address.wrap, holidays.wrap);
    const formMessage = messageArea();
    const form = h('form', { class: 'form assistant-settings-form', novalidate: true, 'aria-labelledby': 'calendar-heading' },
      canEdit ? controls : h('fieldset', { disabled: true }, h('legend', { class: 'visually-hidden' }, t('calendar.title')), controls),
      formMessage.el, canEdit ? h('div', { class: 'actions' }, submit(t('calendar.save'))) : null);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      formMessage.clear();
      const hours = reminders.input.value.split(/[,;\s]+/).filter(Boolean);
      if (hours.some((x) => !/^\d+$/.test(x))) { reminders.setError(t('calendar.reminder_hours_invalid')); reminders.input.focus(); return; }
      const [name, language] = template.input.value.split('|');
      const change = {
        minimum_notice_minutes: Number(notice.input.value), maximum_days_ahead: Number(ahead.input.value),
        granularity_minutes: Number(grid.input.value), holidays: holidays.value(), reminder_hours: hours.map(Number),
        reminder_template: name ? { name, language } : null, address: address.input.value.trim(),
        booking_by_chat: byChat.checked, dialogue_lapse_minutes: Number(lapse.input.value),
      };
      await busy(form, async () => {
        try {
          render(await api.updateCalendarSettings(change));
          message.success(t('calendar.saved'));
        } catch (error) {
          showError(error, formMessage, fields);
        }
      });
    });
    replace(body, form);
  }

  api.getCalendarSettings().then(render, (error) => { replace(body); message.error(error.display); });
  // Google Calendar sync sits under the booking rules (it hides itself from roles without Settings).
  return h('div', { class: 'calendar-settings-group' }, node, googleCalendarSection({ canEdit }));
}

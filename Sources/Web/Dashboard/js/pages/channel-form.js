// The Channels page's two forms of help: the add/edit form (secrets write-only) and the card
// that tells the Admin what to paste into Meta's webhook settings.

import { api } from '../api.js';
import { h } from '../dom.js';
import { busy, copyButton, field, messageArea, showError, submit } from '../forms.js';
import { t } from '../i18n.js';

export const SECRETS = ['access_token', 'app_secret', 'verify_token'];

/**
 * The add/edit form. Adding needs every field but the display phone; editing sends the plain
 * fields as they are and a secret only when one was typed (empty keeps the stored one).
 */
export function channelForm({ channel, onSaved, onCancel = null }) {
  const editing = channel !== null;
  const name = field({ label: t('channels.name'), name: 'name', autocomplete: 'off', value: editing ? channel.name : '', hint: t('channels.name_help') });
  const displayPhone = field({ label: t('channels.display_phone_optional'), name: 'display_phone', type: 'tel', autocomplete: 'off', required: false,
    value: editing ? channel.display_phone || '' : '', hint: t('channels.display_phone_help') });
  const phoneID = field({ label: t('channels.phone_number_id'), name: 'phone_number_id', autocomplete: 'off',
    value: editing ? channel.phone_number_id : '', hint: t('channels.phone_number_id_help') });
  const wabaID = field({ label: t('channels.waba_id'), name: 'waba_id', autocomplete: 'off',
    value: editing ? channel.waba_id : '', hint: t('channels.waba_id_help') });
  for (const f of [phoneID, wabaID]) f.input.setAttribute('inputmode', 'numeric');
  const secrets = Object.fromEntries(SECRETS.map((secret) => {
    const set = editing && channel.secrets && channel.secrets[secret];
    const state = editing ? ` ${t(set ? 'channels.keep_hint' : 'channels.not_set_hint')}` : '';
    return [secret, field({ label: t(`channels.${secret}`), name: secret, type: 'password', autocomplete: 'new-password',
      required: !editing, hint: `${t(`channels.${secret}_help`)}${state}` })];
  }));
  const fields = { name, display_phone: displayPhone, phone_number_id: phoneID, waba_id: wabaID, ...secrets };
  const message = messageArea();
  const form = h('form', { class: 'form channel-form', novalidate: true, 'aria-label': editing ? t('channels.edit_title', { name: channel.name }) : t('channels.add_title') },
    message.el,
    h('fieldset', { class: 'form-grid' }, h('legend', {}, t('channels.number_legend')), name.wrap, displayPhone.wrap, phoneID.wrap, wabaID.wrap),
    h('fieldset', { class: 'form-grid' }, h('legend', {}, t('channels.secrets_legend')),
      h('p', { class: 'field-hint fieldset-note' }, t(editing ? 'channels.secrets_note_edit' : 'channels.secrets_note')),
      SECRETS.map((secret) => secrets[secret].wrap)),
    h('div', { class: 'actions' },
      onCancel ? h('button', { type: 'button', class: 'button', onclick: onCancel }, t('common.cancel')) : null,
      submit(t(editing ? 'channels.save_submit' : 'channels.add_submit'))));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    const required = editing ? [name, phoneID, wabaID] : [name, phoneID, wabaID, ...SECRETS.map((s) => secrets[s])];
    for (const f of required) {
      if (!f.input.value.trim()) { f.setError(t('errors.required')); f.input.focus(); return; }
    }
    const body = {
      name: name.input.value.trim(),
      phone_number_id: phoneID.input.value.trim(),
      waba_id: wabaID.input.value.trim(),
    };
    const display = displayPhone.input.value.trim();
    if (display || editing) body.display_phone = display;   // "" clears it on edit
    for (const secret of SECRETS) {
      const value = secrets[secret].input.value;
      if (value) body[secret] = value;
    }
    await busy(form, async () => {
      try {
        const saved = editing ? await api.updateChannel(channel.id, body) : await api.createChannel(body);
        for (const secret of SECRETS) secrets[secret].input.value = '';
        onSaved(saved, form);
      } catch (error) {
        showError(error, message, fields);
      }
    });
  });
  return form;
}

/** Where Meta sends messages: the callback URL and the verify token to paste into its form. */
export function webhookCard() {
  const url = `${location.origin}/webhooks/whatsapp`;
  const insecure = location.protocol !== 'https:';
  return h('section', { class: 'card webhook-card', 'aria-labelledby': 'webhook-heading' },
    h('h3', { id: 'webhook-heading' }, t('channels.webhook_title')),
    h('p', {}, t('channels.webhook_intro')),
    h('p', { class: 'webhook-label', id: 'webhook-url-label' }, t('channels.webhook_url')),
    copyRow(url, 'webhook-url-label'),
    insecure ? h('p', { class: 'field-hint webhook-warning' }, t('channels.webhook_https')) : null,
    h('p', { class: 'webhook-label' }, t('channels.webhook_verify')),
    h('p', { class: 'muted' }, t('channels.webhook_verify_help')),
    h('p', { class: 'muted' }, t('channels.webhook_fields')));
}

function copyRow(text, labelledBy) {
  const code = h('code', { class: 'secret copy-text', tabindex: '0', 'aria-labelledby': labelledBy }, text);
  const status = h('span', { class: 'muted copy-status', 'aria-live': 'polite' });
  const copy = copyButton(text, code, status);
  return h('div', { class: 'secret-row' }, code, copy, status);
}

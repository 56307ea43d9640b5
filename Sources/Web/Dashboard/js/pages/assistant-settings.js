// Assistant → Settings: how the assistant introduces itself, when the business is open (intervals
// per weekday and holidays, in assistant-hours.js), how long it waits for a person, how sure it
// must be before answering, the business's example phrases per intent, and the optional
// language model (its key is write-only: the page only ever says whether one is set, and can
// delete it). Everyone who sees the Assistant reads; Admins and Managers save.

import { can } from '../access.js';
import { request } from '../api.js';
import { confirmDialog } from '../dialogs.js';
import { h, replace, uid } from '../dom.js';
import { busy, field, messageArea, showError, submit } from '../forms.js';
import { t } from '../i18n.js';
import { setBusinessZone } from '../zone.js';
import { examplesEditor } from './assistant-examples.js';
import { hoursEditor } from './assistant-hours.js';

export function assistantSettingsPage(context) {
  const editor = can(context.session.permissions, 'assistant', 'full');
  const message = messageArea();
  const holder = h('div', {}, h('p', { class: 'muted' }, t('assistant_settings.loading')));
  load();

  async function load() {
    try {
      replace(holder, settingsForm(await request('GET', '/api/v1/assistant/settings'), editor, message, context));
    } catch (error) {
      replace(holder);
      message.error(error.display);
    }
  }

  return {
    title: t('assistant.settings'),
    node: h('section', { class: 'assistant-settings' },
      h('h2', {}, t('assistant.settings')), message.el, holder),
  };
}

function checkbox(label, name, checked) {
  const id = uid(name);
  const input = h('input', { id, name, type: 'checkbox', checked });
  return { wrap: h('div', { class: 'field field-check' }, input, h('label', { for: id }, label)), input, setError() {} };
}

function settingsForm(settings, editor, message, context) {
  const enabled = checkbox(t('assistant_settings.enabled'), 'enabled', settings.enabled);
  const businessName = field({ label: t('assistant_settings.business_name'), name: 'business_name', value: settings.business_name, required: false });
  const language = field({ label: t('assistant_settings.language'), name: 'language', value: settings.language,
    options: ['pt', 'es', 'en'].map((code) => [code, t(`assistant_settings.language_${code}`)]) });
  const timeZone = field({ label: t('assistant_settings.time_zone'), name: 'time_zone', value: settings.time_zone,
    hint: t('assistant_settings.time_zone_hint'), autocomplete: 'off' });
  const tone = field({ label: t('assistant_settings.tone'), name: 'tone', value: settings.tone,
    options: ['friendly', 'formal'].map((name) => [name, t(`assistant_settings.tone_${name}`)]) });
  const threshold = field({ label: t('assistant_settings.answer_threshold'), name: 'answer_threshold', type: 'number',
    value: String(settings.answer_threshold), hint: t('assistant_settings.answer_threshold_hint') });
  threshold.input.step = '0.01';
  const humanFirst = field({ label: t('assistant_settings.human_first_seconds'), name: 'human_first_seconds', type: 'number',
    value: String(settings.human_first_seconds), hint: t('assistant_settings.human_first_hint') });
  humanFirst.input.step = '1';
  humanFirst.input.min = '0';
  humanFirst.input.max = '3600';
  const burstCap = field({ label: t('assistant_settings.burst_cap_seconds'), name: 'burst_cap_seconds', type: 'number',
    value: String(settings.burst_cap_seconds), hint: t('assistant_settings.burst_cap_hint') });
  burstCap.input.step = '1';
  burstCap.input.min = '0';
  burstCap.input.max = '7200';
  const hours = hoursEditor(settings.hours, !editor);

  const llm = settings.llm || {};
  const llmEnabled = checkbox(t('assistant_settings.llm_enabled'), 'llm_enabled', llm.enabled);
  const baseURL = field({ label: t('assistant_settings.llm_base_url'), name: 'base_url', type: 'url', value: llm.base_url, required: false, autocomplete: 'off' });
  const model = field({ label: t('assistant_settings.llm_model'), name: 'model', value: llm.model, required: false, autocomplete: 'off' });
  const key = field({ label: t('assistant_settings.llm_key'), name: 'key', type: 'password', required: false, autocomplete: 'new-password',
    hint: llm.has_key ? t('assistant_settings.llm_key_set') : t('assistant_settings.llm_key_unset') });
  const keyHint = key.wrap.querySelector('.field-hint');
  const deleteKey = h('button', { type: 'button', class: 'button button-small button-danger', 'data-action': 'delete-llm-key',
    hidden: !llm.has_key || !editor, onclick: () => removeKey() }, t('assistant_settings.llm_key_delete'));
  const examples = examplesEditor(settings.intent_examples);

  const fields = {
    business_name: businessName, language, time_zone: timeZone, tone, answer_threshold: threshold,
    human_first_seconds: humanFirst, burst_cap_seconds: burstCap, base_url: baseURL, model, key,
  };
  const form = h('form', { class: 'form assistant-settings-form', novalidate: true },
    enabled.wrap, businessName.wrap, language.wrap, timeZone.wrap, tone.wrap, threshold.wrap, humanFirst.wrap, burstCap.wrap,
    hours.wrap,
    h('fieldset', { class: 'llm' }, h('legend', {}, t('assistant_settings.llm')),
      h('p', { class: 'field-hint' }, t('assistant_settings.llm_hint')),
      llmEnabled.wrap, baseURL.wrap, model.wrap, key.wrap, deleteKey),
    examples.wrap,
    editor ? h('div', { class: 'actions' }, submit(t('assistant_settings.save'))) : null);
  if (!editor) form.querySelectorAll('input, select, textarea, button').forEach((control) => { control.disabled = true; });

  async function removeKey() {
    if (!(await confirmDialog(t('assistant_settings.llm_key_delete_title'), t('assistant_settings.llm_key_delete_warning'),
      t('assistant_settings.llm_key_delete')))) return;
    message.clear();
    await busy(form, async () => {
      try {
        await request('DELETE', '/api/v1/assistant/llm-key');
        keyHint.textContent = t('assistant_settings.llm_key_unset');
        deleteKey.hidden = true;
        message.success(t('assistant_settings.llm_key_deleted'));
      } catch (error) {
        showError(error, message);
      }
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    Object.values(fields).forEach((f) => f.setError(''));
    hours.clearErrors();
    const body = {
      enabled: enabled.input.checked,
      business_name: businessName.input.value.trim(),
      language: language.input.value,
      time_zone: timeZone.input.value.trim(),
      tone: tone.input.value,
      answer_threshold: Number(threshold.input.value),
      human_first_seconds: Math.round(Number(humanFirst.input.value)),
      burst_cap_seconds: Math.round(Number(burstCap.input.value)),
      hours: hours.value(),
      llm: { enabled: llmEnabled.input.checked, base_url: baseURL.input.value.trim(), model: model.input.value.trim() },
      intent_examples: examples.value(),
    };
    await busy(form, async () => {
      try {
        settings = await request('PUT', '/api/v1/assistant/settings', body);
        hours.set(settings.hours);
        // Appointment times follow the business's zone from now on, in this tab without a reload.
        context.session.business_time_zone = settings.time_zone;
        setBusinessZone(settings.time_zone);
        if (key.input.value) {
          await request('PUT', '/api/v1/assistant/llm-key', { key: key.input.value });
          key.input.value = '';
          keyHint.textContent = t('assistant_settings.llm_key_set');
          deleteKey.hidden = false;
        }
        message.success(t('assistant_settings.saved'));
      } catch (error) {
        const named = examples.fieldFor(error.field) || hours.fieldFor(error);
        showError(error, message, named ? { [error.field]: named } : fields);
      }
    });
  });
  return form;
}

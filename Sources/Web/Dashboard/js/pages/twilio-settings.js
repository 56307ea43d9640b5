// Settings → Channels → Twilio: one account for SMS and calls. Admins edit it (the auth token is
// write-only: the API only says whether it is set), test it against Twilio, and copy the webhook
// addresses into Twilio's console; whoever has Settings view reads the same form, disabled.

import { api } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { busy, copyButton, field, messageArea, showError, submit } from '../forms.js';
import { t } from '../i18n.js';

const LANGS = ['pt', 'es', 'en'];

/** The Twilio card; `onSaved()` runs after a save (the channel list shows the SMS numbers). */
export function twilioSection({ canEdit, onSaved = () => {} }) {
  const message = messageArea();
  const body = h('div', { class: 'twilio-body' }, h('p', { class: 'muted' }, t('twilio.loading')));
  const state = h('span', { class: 'badge badge-off', 'data-twilio-state': 'unknown' });
  const node = h('section', { class: 'card twilio-card', 'aria-labelledby': 'twilio-heading', 'data-testid': 'twilio' },
    h('div', { class: 'channel-head' }, h('h3', { id: 'twilio-heading' }, t('twilio.title')), state),
    h('p', { class: 'muted' }, t('twilio.intro')),
    message.el, body);

  function setState(view) {
    state.className = `badge ${view.connected ? 'badge-on' : 'badge-off'}`;
    state.dataset.twilioState = view.connected ? 'connected' : 'not_connected';
    state.textContent = t(view.connected ? 'twilio.connected' : 'twilio.not_connected');
  }

  function render(view) {
    setState(view);
    // Without public_url every webhook is refused: that goes first, before anything else to set.
    replace(body, view.public_url_missing ? [webhooks(view), form(view)] : [form(view), webhooks(view)]);
  }

  function form(view) {
    const sid = field({ label: t('twilio.account_sid'), name: 'account_sid', autocomplete: 'off', required: false,
      value: view.account_sid || '', hint: t('twilio.account_sid_help') });
    const token = field({ label: t('twilio.auth_token'), name: 'auth_token', type: 'password', autocomplete: 'new-password', required: false,
      hint: `${t('twilio.auth_token_help')} ${t(view.auth_token_set ? 'channels.keep_hint' : 'channels.not_set_hint')}` });
    const tokenState = h('span', { class: `badge ${view.auth_token_set ? 'badge-on' : 'badge-off'}`, 'data-secret': 'auth_token' },
      t(view.auth_token_set ? 'channels.secret_set' : 'channels.secret_not_set'));
    token.wrap.querySelector('label').append(' ', tokenState);

    // Numbers: one row each, added and removed; the API replaces the whole list.
    const numbersError = h('p', { class: 'field-error', id: uid('numbers-error'), hidden: true });
    const numberList = h('ul', { class: 'twilio-numbers', 'aria-label': t('twilio.numbers') });
    const addNumber = h('button', { type: 'button', class: 'button button-small', 'data-action': 'add-number',
      onclick: () => { const input = numberRow(''); input.focus(); } }, t('twilio.add_number'));
    function numberRow(value) {
      const id = uid('twilio-number');
      const input = h('input', { id, type: 'tel', name: 'number', autocomplete: 'off', placeholder: '+5511940000000',
        'aria-describedby': numbersError.id, value: value || null });
      input.addEventListener('input', () => numbers.setError(''));
      const li = h('li', { class: 'twilio-number' },
        h('label', { for: id, class: 'visually-hidden' }, t('twilio.number_label')), input,
        h('button', { type: 'button', class: 'button button-small', 'data-action': 'remove-number',
          onclick: () => { li.remove(); addNumber.focus(); } }, t('twilio.remove_number'),
        h('span', { class: 'visually-hidden' }, ` ${value || ''}`)));
      numberList.append(li);
      return input;
    }
    const known = view.numbers.map((channel) => channel.phone_number_id);
    for (const number of known.length ? known : ['']) numberRow(number);
    const numbers = {
      wrap: null,
      get input() { return numberList.querySelector('input') || addNumber; },
      setError(text) {
        numbersError.textContent = text || '';
        numbersError.hidden = !text;
        for (const input of numberList.querySelectorAll('input')) {
          if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
        }
      },
    };

    const forward = field({ label: t('twilio.forward_to'), name: 'forward_to', type: 'tel', autocomplete: 'off', required: false,
      value: view.forward_to || '', hint: t('twilio.forward_to_help') });
    const ring = field({ label: t('twilio.ring_seconds'), name: 'ring_seconds', type: 'number', required: false,
      value: String(view.ring_seconds), hint: t('twilio.ring_seconds_help') });
    ring.input.setAttribute('min', '5');
    ring.input.setAttribute('max', '60');
    const voicemail = check(t('twilio.voicemail'), 'voicemail', view.voicemail, t('twilio.voicemail_help'));

    const textBackOn = check(t('twilio.text_back_enabled'), 'text_back_enabled', view.text_back_enabled, t('twilio.text_back_help'));
    const texts = Object.fromEntries(LANGS.map((lang) => {
      const f = field({ label: t(`twilio.text_back_${lang}`), name: `text_back_${lang}`, type: 'textarea', rows: 3, required: false,
        value: (view.text_back && view.text_back[lang]) || '' });
      f.input.placeholder = (view.text_back_defaults && view.text_back_defaults[lang]) || '';
      f.input.classList.add('twilio-textarea');
      return [lang, f];
    }));
    const textBackError = h('p', { class: 'field-error', hidden: true });
    const textBack = {
      get input() { return texts.pt.input; },
      setError(text) { textBackError.textContent = text || ''; textBackError.hidden = !text; },
    };
    const period = field({ label: t('twilio.period_hours'), name: 'text_back_period_hours', type: 'number', required: false,
      value: String(view.text_back_period_hours), hint: t('twilio.period_hours_help') });
    period.input.setAttribute('min', '1');
    period.input.setAttribute('max', '168');
    const quietOn = check(t('twilio.quiet_hours'), 'quiet_hours_enabled', view.quiet_hours !== null, t('twilio.quiet_hours_help'));
    const quietStart = field({ label: t('twilio.quiet_start'), name: 'quiet_start', type: 'time', required: false,
      value: view.quiet_hours ? view.quiet_hours.start : '20:00' });
    const quietEnd = field({ label: t('twilio.quiet_end'), name: 'quiet_end', type: 'time', required: false,
      value: view.quiet_hours ? view.quiet_hours.end : '08:00' });
    const quietTimes = h('div', { class: 'twilio-quiet-times' }, quietStart.wrap, quietEnd.wrap);
    const duringQuiet = check(t('twilio.during_quiet'), 'text_back_during_quiet_hours', view.text_back_during_quiet_hours,
      t('twilio.during_quiet_help'));
    // On WhatsApp instead, for callers who already talk to the business there: an approved template.
    const current = view.text_back_template ? `${view.text_back_template.name}|${view.text_back_template.language}` : '';
    const viaWhatsApp = check(t('twilio.via_whatsapp'), 'text_back_via_whatsapp', view.text_back_via === 'whatsapp', t('twilio.via_whatsapp_help'));
    const template = field({ label: t('twilio.template'), name: 'text_back_template', required: false, value: current,
      options: [['', t('twilio.template_choose')], ...(current ? [[current, current.replace('|', ' · ')]] : [])], hint: t('twilio.template_help') });
    api.listTemplates().then((list) => {
      const approved = (list.items || []).filter((item) => item.status === 'APPROVED');
      const values = new Set([...template.input.options].map((option) => option.value));
      for (const item of approved) {
        const value = `${item.name}|${item.language}`;
        if (!values.has(value)) template.input.append(h('option', { value }, `${item.name} · ${item.language}`));
        values.add(value);
      }
    }).catch(() => {});
    const syncVia = () => { template.wrap.hidden = !viaWhatsApp.input.checked; };
    viaWhatsApp.input.addEventListener('change', syncVia);
    syncVia();
    const syncQuiet = () => {
      quietTimes.hidden = !quietOn.input.checked;
      duringQuiet.wrap.hidden = !quietOn.input.checked;
    };
    quietOn.input.addEventListener('change', syncQuiet);
    syncQuiet();

    const fields = {
      account_sid: sid, auth_token: token, numbers, forward_to: forward, ring_seconds: ring, text_back: textBack,
      text_back_period_hours: period, quiet_hours: quietStart, text_back_template: template,
    };
    const formMessage = messageArea();
    const testResult = h('div', { class: 'channel-test', 'aria-live': 'polite' });
    const testMessage = messageArea();   // beside the button, so a phone shows the answer where it was tapped
    const testButton = h('button', { type: 'button', class: 'button', 'data-action': 'test-twilio',
      onclick: (event) => test(event.currentTarget, testResult, testMessage) }, t('twilio.test'));
    const controls = h('div', { class: 'twilio-controls' },
      h('fieldset', {}, h('legend', {}, t('twilio.account_legend')), sid.wrap, token.wrap),
      h('fieldset', {}, h('legend', {}, t('twilio.numbers')),
        h('p', { class: 'field-hint' }, t('twilio.numbers_help')), numberList, numbersError, h('div', {}, addNumber)),
      h('fieldset', {}, h('legend', {}, t('twilio.calls_legend')), forward.wrap, ring.wrap, voicemail.wrap),
      h('fieldset', {}, h('legend', {}, t('twilio.text_back_legend')), textBackOn.wrap,
        h('p', { class: 'field-hint' }, t('twilio.text_back_texts_help')),
        LANGS.map((lang) => texts[lang].wrap), textBackError, period.wrap, quietOn.wrap, quietTimes, duringQuiet.wrap,
        viaWhatsApp.wrap, template.wrap));
    const form = h('form', { class: 'form channel-form twilio-form', novalidate: true, 'aria-labelledby': 'twilio-heading' },
      formMessage.el,
      canEdit ? controls : h('fieldset', { class: 'twilio-read-only', disabled: true },
        h('legend', { class: 'visually-hidden' }, t('twilio.title')), controls),
      canEdit ? h('div', { class: 'actions' }, testButton, submit(t('twilio.save'))) : null,
      testMessage.el, testResult);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      formMessage.clear();
      for (const f of Object.values(fields)) f.setError('');
      const whole = (f, min, max) => {
        const value = f.input.value.trim();
        if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
          f.setError(t('twilio.whole_number', { min, max }));
          f.input.focus();
          return null;
        }
        return Number(value);
      };
      const ringSeconds = whole(ring, 5, 60);
      if (ringSeconds === null) return;
      const periodHours = whole(period, 1, 168);
      if (periodHours === null) return;
      const change = {
        numbers: [...numberList.querySelectorAll('input')].map((input) => input.value.trim()).filter(Boolean),
        forward_to: forward.input.value.trim() || null,
        ring_seconds: ringSeconds,
        voicemail: voicemail.input.checked,
        text_back_enabled: textBackOn.input.checked,
        text_back: Object.fromEntries(LANGS.map((lang) => [lang, texts[lang].input.value.trim()])),
        text_back_period_hours: periodHours,
        quiet_hours: quietOn.input.checked ? { start: quietStart.input.value, end: quietEnd.input.value } : null,
        text_back_during_quiet_hours: duringQuiet.input.checked,
        text_back_via: viaWhatsApp.input.checked ? 'whatsapp' : 'sms',
      };
      const [templateName, templateLanguage] = template.input.value.split('|');
      if (templateName) change.text_back_template = { name: templateName, language: templateLanguage };
      const account = sid.input.value.trim();
      if (account || view.account_sid) change.account_sid = account;
      if (token.input.value) change.auth_token = token.input.value;
      await busy(form, async () => {
        try {
          const saved = await api.updateTwilio(change);
          token.input.value = '';
          render(saved);
          message.success(t('twilio.saved'));
          onSaved(saved);
        } catch (error) {
          showError(error, formMessage, fields);
        }
      });
    });
    return form;
  }

  async function test(button, result, formMessage) {
    formMessage.clear();
    result.replaceChildren();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.testTwilio();
      const account = answer.account || {};
      result.replaceChildren(h('div', { class: 'message message-success channel-test-result', role: 'status', 'data-testid': 'twilio-test-ok' },
        h('p', { class: 'channel-test-title' }, t('twilio.test_ok')),
        h('dl', { class: 'channel-facts' },
          fact(t('twilio.test_name'), account.friendly_name || '—'),
          fact(t('twilio.test_status'), account.status || '—'),
          fact(t('twilio.test_type'), account.type || '—'))));
    } catch (error) {
      formMessage.error(t(error.code === 'not_configured' ? 'twilio.test_not_configured' : 'channels.test_failed', { message: error.display }));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  async function load() {
    try {
      render(await api.getTwilio());
    } catch (error) {
      replace(body);
      message.error(error.display);
    }
  }

  load();
  return { node, reload: load };
}

/** What to paste in Twilio's console, or why Twilio would be refused: no public_url. */
function webhooks(view) {
  if (view.public_url_missing) {
    return h('div', { class: 'twilio-webhooks' },
      h('h4', {}, t('twilio.webhooks_title')),
      h('div', { class: 'message message-error twilio-public-url', role: 'alert', 'data-testid': 'public-url-missing' },
        h('p', {}, t('twilio.public_url_missing')),
        h('p', {}, t('twilio.public_url_fix'), ' ', h('code', {}, 'public_url'), ' (', h('code', {}, 'ATENDE_PUBLIC_URL'), ').')));
  }
  if (!view.webhooks) {
    return h('div', { class: 'twilio-webhooks' }, h('h4', {}, t('twilio.webhooks_title')), h('p', { class: 'muted' }, t('twilio.webhooks_later')));
  }
  const rows = [['sms', 'twilio.webhook_sms'], ['voice', 'twilio.webhook_voice'], ['status', 'twilio.webhook_status']];
  return h('div', { class: 'twilio-webhooks', 'data-testid': 'twilio-webhooks' },
    h('h4', {}, t('twilio.webhooks_title')),
    h('p', { class: 'muted' }, t('twilio.webhooks_intro')),
    rows.map(([name, key]) => {
      const labelId = uid(`twilio-${name}-label`);
      return [h('p', { class: 'webhook-label', id: labelId }, t(key)), copyRow(view.webhooks[name], labelId)];
    }));
}

function copyRow(text, labelledBy) {
  const code = h('code', { class: 'secret copy-text', tabindex: '0', 'aria-labelledby': labelledBy }, text);
  const status = h('span', { class: 'muted copy-status', 'aria-live': 'polite' });
  return h('div', { class: 'secret-row' }, code, copyButton(text, code, status), status);
}

/** A checkbox with its label beside it and an optional hint under both. */
function check(label, name, checked, hint) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', { id, name, type: 'checkbox', checked, 'aria-describedby': hintId });
  const wrap = h('div', { class: 'field' },
    h('div', { class: 'field-check' }, input, h('label', { for: id }, label)),
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null);
  return { wrap, input, setError: () => {} };
}

function fact(label, value) {
  return h('div', { class: 'channel-fact' }, h('dt', {}, label), h('dd', {}, value));
}

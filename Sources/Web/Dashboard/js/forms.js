// Form building blocks: labelled inputs with their own error line, a live message area, and
// showing an ApiError next to the field it names.

import { h, uid } from './dom.js';
import { t } from './i18n.js';

/** A labelled field (an input, a select with `options`, or a textarea with `type: 'textarea'`).
 *  Returns { wrap, input, setError }. */
export function field({ label, name, type = 'text', autocomplete, required = true, value = '', hint, options, rows = 6 }) {
  const id = uid(name);
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  let input;
  if (options) {
    input = h('select', { id, name, required },
      options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
  } else if (type === 'textarea') {
    input = h('textarea', { id, name, rows, required });
    input.value = value || '';
  } else {
    input = h('input', { id, name, type, autocomplete, required, value: value || null, spellcheck: type === 'text' ? null : 'false' });
  }
  input.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null,
    input, error);
  const setError = (message) => {
    error.textContent = message || '';
    error.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  input.addEventListener('input', () => setError(''));
  return { wrap, input, setError };
}

/** A Copy button for `text` shown in `code`; `status` tells what happened. Without clipboard
 *  permission (plain HTTP) it selects the text so Ctrl+C works. */
export function copyButton(text, code, status) {
  return h('button', {
    type: 'button', class: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = t('copy.copied');
      } catch {
        const range = document.createRange();
        range.selectNodeContents(code);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = t('copy.manually');
      }
    },
  }, t('copy.copy'));
}

/** A message area announced by screen readers: role=alert for errors, status for success. */
export function messageArea() {
  const el = h('div', { class: 'message', 'aria-live': 'polite', hidden: true });
  return {
    el,
    error(text) { show(el, 'message-error', 'alert', text); },
    success(text) { show(el, 'message-success', 'status', text); },
    clear() { el.hidden = true; el.textContent = ''; el.removeAttribute('role'); },
  };
}

function show(el, kind, role, text) {
  el.className = `message ${kind}`;
  el.setAttribute('role', role);
  el.textContent = text;
  el.hidden = false;
}

/**
 * Shows `error` on the field it names (when there is one) and in `message`.
 * `fields` maps API field names to field() results.
 */
export function showError(error, message, fields = {}) {
  const target = error.field && fields[error.field];
  if (target) {
    target.setError(error.display);
    // Inside busy() the control is still disabled and cannot take the focus: it goes there once
    // busy() has enabled the form again.
    if (target.input.disabled) setTimeout(() => target.input.focus(), 0);
    else target.input.focus();
  }
  message.error(error.display);
}

/** Disables a form's controls while `work` runs, so a double click sends one request. */
export async function busy(form, work) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')];
  const before = controls.map((c) => c.disabled);
  controls.forEach((c) => { c.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    controls.forEach((c, i) => { c.disabled = before[i]; });
    form.removeAttribute('aria-busy');
  }
}

/** A submit button. */
export function submit(label, extra = {}) {
  return h('button', { type: 'submit', class: 'button button-primary', ...extra }, label);
}

/** The role options, in order of power, translated. */
export function roleOptions() {
  return ['admin', 'manager', 'operator', 'agent'].map((role) => [role, t(`role.${role}`)]);
}

/** Client-side check matching the server's minimum, so people hear about it before sending. */
export function passwordTooShort(password) {
  return [...password].length < 8;
}

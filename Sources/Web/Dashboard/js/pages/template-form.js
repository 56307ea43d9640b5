// The form that writes a WhatsApp message template and submits it to Meta for review (POST
// /api/v1/templates), or edits one (PATCH: components only; number, name, language and category
// stay). It checks what the server checks (TemplateDraft.checked) before sending, so people see
// the problem at the field; the server's own 422 still lands next to the field it names.

import { api } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { busy, field, messageArea, showError, submit } from '../forms.js';
import { language as uiLanguage, t } from '../i18n.js';
import { templateBubble } from './template-bubble.js';

/** The statuses Meta lets a template be edited in. */
export const EDITABLE = ['APPROVED', 'REJECTED', 'PAUSED'];
const LANGUAGES = ['pt_BR', 'es', 'en_US', 'en', 'es_AR', 'es_MX'];
const CATEGORIES = ['UTILITY', 'MARKETING', 'AUTHENTICATION'];
const LIMIT = { header: 60, body: 1024, footer: 60, button: 25 };
const MAX_BUTTONS = 3;
const BUTTON_KINDS = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'];
const NAME = /^[a-z0-9_]{1,512}$/;
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter() : null;

/** Characters as the server counts them (Swift's String.count: grapheme clusters). */
export function characters(text) {
  if (!segmenter) return [...text].length;
  let count = 0;
  for (const segment of segmenter.segment(text)) if (segment) count += 1;
  return count;
}

/** The positional variables of `text` as the server reads them: the distinct numbers, sorted,
 *  and 'syntax' (not {{n}}) or 'gap' (not exactly 1…n) when the server would refuse them. */
export function variables(text) {
  const numbers = new Set();
  let rest = text;
  let error = null;
  for (let open = rest.indexOf('{{'); open >= 0; open = rest.indexOf('{{')) {
    rest = rest.slice(open + 2);
    const close = rest.indexOf('}}');
    const inner = close < 0 ? '' : rest.slice(0, close);
    if (!/^\d+$/.test(inner) || Number(inner) < 1) { error = 'syntax'; break; }
    numbers.add(Number(inner));
    rest = rest.slice(close + 2);
  }
  const sorted = [...numbers].sort((a, b) => a - b);
  if (!error && sorted.length && sorted[sorted.length - 1] !== sorted.length) error = 'gap';
  return { numbers: sorted, error };
}

/** A template name from a title typed in plain words: "Lembrete de Consulta!" → lembrete_de_consulta. */
export function suggestName(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 512);
}

function part(components, type) {
  return (Array.isArray(components) ? components : []).find((c) => c && String(c.type || '').toUpperCase() === type) || null;
}

/** Adds a "12 / 60" counter under a field's input; it turns red past the limit. */
function counted(f, limit) {
  const counter = h('p', { class: 'field-counter', id: `${f.input.id}-count` });
  const update = () => {
    const count = characters(f.input.value);
    counter.textContent = t('templates.characters', { count, max: limit });
    counter.classList.toggle('over', count > limit);
  };
  f.input.after(counter);
  f.input.setAttribute('aria-describedby', `${f.input.getAttribute('aria-describedby')} ${counter.id}`);
  f.input.addEventListener('input', update);
  update();
  return f;
}

/** A message shown next to a group (a fieldset) rather than one input; focusing goes to `input`. */
function groupError(input) {
  const el = h('p', { class: 'field-error', hidden: true, role: 'alert' });
  return { el, input, setError(message) { el.textContent = message || ''; el.hidden = !message; } };
}

/**
 * The form. `template` null writes a new one on one of `channels`; otherwise it edits that
 * template's components. `onSaved(template)` runs after the server accepted it.
 */
export function templateForm({ template, channels, onSaved, onCancel }) {
  const editing = template !== null;
  const current = editing && Array.isArray(template.components) ? template.components : [];
  const message = messageArea();

  // Which template: number, name, language, category (fixed once submitted).
  const channel = field({ label: t('templates.channel'), name: 'channel_id',
    options: [['', t('templates.choose_channel')], ...channels.map((c) => [c.id, c.display_phone ? `${c.name} (${c.display_phone})` : c.name])],
    value: editing ? template.channel_id : (channels.length === 1 ? channels[0].id : '') });
  if (editing && !channels.some((c) => c.id === template.channel_id)) {
    channel.input.append(h('option', { value: template.channel_id, selected: true }, template.channel_id));
  }
  const name = field({ label: t('templates.name'), name: 'name', autocomplete: 'off', value: editing ? template.name : '', hint: t('templates.name_hint') });
  name.input.setAttribute('spellcheck', 'false');
  name.input.setAttribute('autocapitalize', 'none');
  const suggestion = h('p', { class: 'field-hint name-suggestion', hidden: true });
  name.wrap.append(suggestion);

  const startLanguage = editing ? template.language : (uiLanguage() === 'pt-BR' ? 'pt_BR' : 'en_US');
  const known = LANGUAGES.includes(startLanguage);
  const languageSelect = field({ label: t('templates.language'), name: 'language',
    options: [...LANGUAGES.map((code) => [code, t(`templates.lang.${code.toLowerCase()}`)]), ['other', t('templates.language_other')]],
    value: known ? startLanguage : 'other' });
  const languageOther = field({ label: t('templates.language_code'), name: 'language_code', autocomplete: 'off',
    value: known ? '' : startLanguage, hint: t('templates.language_code_hint') });
  languageOther.input.setAttribute('spellcheck', 'false');
  languageOther.wrap.hidden = known;
  languageSelect.input.addEventListener('change', () => {
    languageOther.wrap.hidden = languageSelect.input.value !== 'other';
    if (!languageOther.wrap.hidden) languageOther.input.focus();
  });
  const languageCode = () => (languageSelect.input.value === 'other' ? languageOther.input.value.trim() : languageSelect.input.value);

  const categoryName = uid('category');
  const categoryRadios = CATEGORIES.map((category) => {
    const id = uid(`category-${category.toLowerCase()}`);
    const input = h('input', { type: 'radio', id, name: categoryName, value: category, 'aria-describedby': `${id}-help`,
      checked: editing && String(template.category).toUpperCase() === category });
    return { input, node: h('div', { class: 'category-option' }, input,
      h('label', { for: id }, t(`templates.category.${category.toLowerCase()}`)),
      h('p', { class: 'field-hint', id: `${id}-help` }, t(`templates.category_help.${category.toLowerCase()}`))) };
  });
  const categoryError = groupError(categoryRadios[0].input);
  categoryRadios.forEach(({ input }) => input.addEventListener('change', () => categoryError.setError('')));
  const categoryValue = () => (categoryRadios.find(({ input }) => input.checked) || { input: { value: '' } }).input.value;

  if (editing) {
    for (const f of [channel, name, languageSelect, languageOther]) f.input.disabled = true;
    categoryRadios.forEach(({ input }) => { input.disabled = true; });
  }

  // The content: header, body with its variables' examples, footer.
  const headerPart = part(current, 'HEADER');
  const keptHeader = headerPart && String(headerPart.format || 'TEXT').toUpperCase() !== 'TEXT' ? headerPart : null;
  const header = counted(field({ label: t('templates.header'), name: 'header', autocomplete: 'off', required: false,
    value: keptHeader ? '' : (headerPart && headerPart.text) || '', hint: t('templates.header_hint') }), LIMIT.header);
  header.wrap.hidden = Boolean(keptHeader);
  const headerStart = headerPart && headerPart.example && Array.isArray(headerPart.example.header_text) ? headerPart.example.header_text[0] : '';
  const headerExample = field({ label: t('templates.header_example'), name: 'header_example', autocomplete: 'off',
    value: typeof headerStart === 'string' ? headerStart : '', hint: t('templates.header_example_hint') });

  const bodyPart = part(current, 'BODY');
  const body = counted(field({ type: 'textarea', label: t('templates.body'), name: 'body', value: (bodyPart && bodyPart.text) || '', hint: t('templates.body_hint') }), LIMIT.body);
  const bodyExamples = new Map();
  const startExamples = bodyPart && bodyPart.example && Array.isArray(bodyPart.example.body_text) && Array.isArray(bodyPart.example.body_text[0])
    ? bodyPart.example.body_text[0] : [];
  startExamples.forEach((value, index) => { if (typeof value === 'string') bodyExamples.set(index + 1, value); });
  const exampleFields = new Map();   // variable number → field
  const examplesList = h('div', { class: 'template-examples-list' });
  const examplesBox = h('div', { class: 'template-examples', hidden: true },
    h('p', { class: 'template-examples-title' }, t('templates.examples')),
    h('p', { class: 'field-hint' }, t('templates.examples_hint')), examplesList);
  let shownNumbers = '';

  const addVariable = h('button', { type: 'button', class: 'button button-small', onclick: () => {
    const { numbers } = variables(body.input.value);
    const next = `{{${(numbers.length ? numbers[numbers.length - 1] : 0) + 1}}}`;
    // At the caret (a textarea keeps it while the button has focus); at the end before any typing.
    body.input.setRangeText(next, body.input.selectionStart, body.input.selectionEnd, 'end');
    body.input.dispatchEvent(new Event('input', { bubbles: true }));
    body.input.focus();
  } }, t('templates.add_variable'));
  // The counter goes on the same line as the button, under the text.
  body.input.after(h('div', { class: 'template-body-tools' }, addVariable, body.wrap.querySelector('.field-counter')));

  const footerPart = part(current, 'FOOTER');
  const footer = counted(field({ label: t('templates.footer'), name: 'footer', autocomplete: 'off', required: false,
    value: (footerPart && footerPart.text) || '', hint: t('templates.footer_hint') }), LIMIT.footer);
  const contentError = groupError(body.input);

  // Buttons: up to three new ones; kinds the form does not write (COPY_CODE, OTP) are kept.
  const buttonsPart = part(current, 'BUTTONS');
  const buttons = (buttonsPart && Array.isArray(buttonsPart.buttons) ? buttonsPart.buttons : []).map((b) => buttonRow(b));
  const buttonsList = h('div', { class: 'template-buttons-list' });
  const addButton = h('button', { type: 'button', class: 'button button-small', onclick: () => {
    buttons.push(buttonRow({ type: 'QUICK_REPLY', text: '' }));
    drawButtons();
    buttons[buttons.length - 1].kind.input.focus();
  } }, t('templates.add_button'));

  function buttonRow(button) {
    const type = String(button.type || 'QUICK_REPLY').toUpperCase();
    const row = { kept: BUTTON_KINDS.includes(type) ? null : button };
    if (row.kept) return row;
    row.kind = field({ label: t('templates.button_type'), name: 'button_type', value: type,
      options: BUTTON_KINDS.map((k) => [k, t(`templates.button_type.${k.toLowerCase()}`)]) });
    row.text = counted(field({ label: t('templates.button_text'), name: 'button_text', autocomplete: 'off', value: button.text || '' }), LIMIT.button);
    row.url = field({ label: t('templates.button_url'), name: 'button_url', type: 'url', autocomplete: 'off', value: button.url || '', hint: t('templates.button_url_hint') });
    row.example = field({ label: t('templates.button_url_example'), name: 'button_url_example', type: 'url', autocomplete: 'off',
      value: Array.isArray(button.example) && typeof button.example[0] === 'string' ? button.example[0] : '' });
    row.phone = field({ label: t('templates.button_phone'), name: 'button_phone', type: 'tel', autocomplete: 'off', value: button.phone_number || '', hint: t('templates.button_phone_hint') });
    const fit = () => {
      const kind = row.kind.input.value;
      row.url.wrap.hidden = kind !== 'URL';
      row.example.wrap.hidden = kind !== 'URL' || !row.url.input.value.includes('{{');
      row.phone.wrap.hidden = kind !== 'PHONE_NUMBER';
    };
    row.kind.input.addEventListener('change', fit);
    row.url.input.addEventListener('input', fit);
    fit();
    return row;
  }

  function drawButtons() {
    replace(buttonsList, buttons.map((row, index) => {
      const remove = h('button', { type: 'button', class: 'button button-small button-danger', onclick: () => {
        buttons.splice(index, 1);
        drawButtons();
        addButton.focus();
        refresh();
      } }, t('templates.remove_button'), h('span', { class: 'visually-hidden' }, ` ${t('templates.button_n', { n: index + 1 })}`));
      if (row.kept) {
        return h('div', { class: 'template-button-row' },
          h('p', { class: 'template-button-kept' }, t('templates.button_kept', { type: row.kept.type, text: row.kept.text || '' })), remove);
      }
      return h('fieldset', { class: 'template-button-row' }, h('legend', {}, t('templates.button_n', { n: index + 1 })),
        row.kind.wrap, row.text.wrap, row.url.wrap, row.example.wrap, row.phone.wrap, h('div', { class: 'actions' }, remove));
    }));
    addButton.hidden = buttons.length >= MAX_BUTTONS;
  }

  function buttonJSON(row) {
    if (row.kept) return row.kept;
    const kind = row.kind.input.value;
    const out = { type: kind, text: row.text.input.value.trim() };
    if (kind === 'URL') {
      out.url = row.url.input.value.trim();
      if (out.url.includes('{{')) out.example = [row.example.input.value.trim()];
    }
    if (kind === 'PHONE_NUMBER') out.phone_number = row.phone.input.value.trim();
    return out;
  }

  /** The input that wrote the part `name` (`components[1].text`, …) of `sent`; the content's
   *  group error when no one input did (the buttons, a kept media header). */
  function componentField(name, sent) {
    const match = /^components\[(\d+)\](?:\.(\w+))?/.exec(name);
    const item = match && sent[Number(match[1])];
    const type = item && String(item.type || '').toUpperCase();
    const example = match && match[2] === 'example';
    if (type === 'HEADER' && !keptHeader) return example ? headerExample : header;
    if (type === 'BODY') return example && exampleFields.size ? exampleFields.values().next().value : body;
    if (type === 'FOOTER') return footer;
    return contentError;
  }

  /** The components as they would be sent now. */
  function components() {
    const out = [];
    if (keptHeader) out.push(keptHeader);
    else if (header.input.value.trim()) {
      const text = header.input.value.trim();
      const item = { type: 'HEADER', format: 'TEXT', text };
      if (variables(text).numbers.length) item.example = { header_text: [headerExample.input.value.trim()] };
      out.push(item);
    }
    const text = body.input.value.trim();
    const item = { type: 'BODY', text };
    const { numbers } = variables(text);
    if (numbers.length) item.example = { body_text: [numbers.map((n) => (bodyExamples.get(n) || '').trim())] };
    out.push(item);
    if (footer.input.value.trim()) out.push({ type: 'FOOTER', text: footer.input.value.trim() });
    if (buttons.length) out.push({ type: 'BUTTONS', buttons: buttons.map(buttonJSON) });
    return out;
  }

  /** One example input per variable of the body, kept as variables come and go. */
  function drawExamples() {
    const { numbers } = variables(body.input.value);
    const key = numbers.join(',');
    if (key === shownNumbers) return;
    shownNumbers = key;
    examplesBox.hidden = numbers.length === 0;
    replace(examplesList, numbers.map((n) => {
      let f = exampleFields.get(n);
      if (!f) {
        f = field({ label: t('templates.example_for', { variable: `{{${n}}}` }), name: `example_${n}`, autocomplete: 'off', value: bodyExamples.get(n) || '' });
        f.input.addEventListener('input', () => { bodyExamples.set(n, f.input.value); refresh(); });
        exampleFields.set(n, f);
      }
      return f.wrap;
    }));
  }

  const preview = h('div', { class: 'template-live-preview', 'aria-live': 'off' });
  function refresh() {
    drawExamples();
    headerExample.wrap.hidden = Boolean(keptHeader) || variables(header.input.value).numbers.length === 0;
    const value = name.input.value;
    const suggested = suggestName(value);
    const offer = !editing && value && !NAME.test(value) && suggested && suggested !== value;
    suggestion.hidden = !offer;
    if (offer) {
      replace(suggestion, t('templates.name_suggest_intro'), ' ', h('button', { type: 'button', class: 'link-button', onclick: () => {
        name.input.value = suggested;
        name.setError('');
        refresh();
        name.input.focus();
      } }, t('templates.name_suggest', { name: suggested })));
    }
    replace(preview, templateBubble(components(), { fill: true }));
  }

  /** What the server would refuse (TemplateDraft.checked), plus the examples Meta insists on. */
  function problems() {
    const found = [];
    const add = (f, text) => found.push([f, text]);
    if (!editing) {
      if (!channel.input.value) add(channel, t('templates.error_channel'));
      if (!name.input.value) add(name, t('errors.required'));
      else if (!NAME.test(name.input.value)) add(name, t('templates.error_name'));
      const code = languageCode();
      if (!LANGUAGE.test(code)) add(languageSelect.input.value === 'other' ? languageOther : languageSelect, t('templates.error_language'));
      if (!categoryValue()) add(categoryError, t('templates.error_category'));
    }
    const tooLong = (f, max) => {
      const count = characters(f.input.value.trim());
      if (count > max) { add(f, t('templates.error_too_long', { max, count })); return true; }
      return false;
    };
    const variableProblem = (f, text) => {
      const { numbers, error } = variables(text);
      if (error === 'syntax') add(f, t('templates.error_variable_syntax'));
      else if (error === 'gap') add(f, t('templates.error_variable_gap', { count: numbers.length }));
      return error ? null : numbers;
    };
    if (!keptHeader && header.input.value.trim() && !tooLong(header, LIMIT.header)) {
      const numbers = variableProblem(header, header.input.value.trim());
      if (numbers && numbers.length > 1) add(header, t('templates.error_header_variables'));
      else if (numbers && numbers.length === 1 && !headerExample.input.value.trim()) add(headerExample, t('templates.error_example', { variable: '{{1}}' }));
    }
    const text = body.input.value.trim();
    if (!text) add(body, t('errors.required'));
    else if (!tooLong(body, LIMIT.body)) {
      const numbers = variableProblem(body, text);
      if (numbers && numbers.length && (text.startsWith('{{') || text.endsWith('}}'))) add(body, t('templates.error_edge_variable'));
      for (const n of numbers || []) {
        if (!(bodyExamples.get(n) || '').trim()) add(exampleFields.get(n), t('templates.error_example', { variable: `{{${n}}}` }));
      }
    }
    if (footer.input.value.trim()) tooLong(footer, LIMIT.footer);
    for (const row of buttons) {
      if (row.kept) continue;
      const label = characters(row.text.input.value.trim());
      if (label < 1 || label > LIMIT.button) add(row.text, t('templates.error_button_text'));
      const kind = row.kind.input.value;
      if (kind === 'URL' && !row.url.input.value.trim().startsWith('https://')) add(row.url, t('templates.error_button_url'));
      if (kind === 'URL' && row.url.input.value.includes('{{') && !row.example.input.value.trim().startsWith('https://')) {
        add(row.example, t('templates.error_button_url_example'));
      }
      if (kind === 'PHONE_NUMBER' && !row.phone.input.value.trim()) add(row.phone, t('templates.error_button_phone'));
    }
    return found;
  }

  drawButtons();
  const form = h('form', { class: 'form template-form', novalidate: true,
    'aria-label': editing ? t('templates.edit_title', { name: template.name, language: template.language }) : t('templates.new_title') },
    message.el,
    editing ? h('p', { class: 'template-edit-note' }, t('templates.edit_note')) : null,
    h('div', { class: 'template-form-layout' },
      h('div', { class: 'template-form-fields' },
        h('fieldset', {}, h('legend', {}, t('templates.about_legend')),
          channel.wrap, name.wrap, languageSelect.wrap, languageOther.wrap),
        h('fieldset', { class: 'template-categories' }, h('legend', {}, t('templates.category')),
          categoryRadios.map(({ node }) => node), categoryError.el),
        h('fieldset', {}, h('legend', {}, t('templates.content_legend')),
          contentError.el,
          keptHeader ? h('p', { class: 'field-hint' }, t('templates.header_kept')) : null,
          header.wrap, headerExample.wrap, body.wrap, examplesBox, footer.wrap),
        h('fieldset', {}, h('legend', {}, t('templates.buttons_optional')),
          h('p', { class: 'field-hint' }, t('templates.buttons_hint')), buttonsList,
          h('div', {}, addButton))),
      h('section', { class: 'template-preview-pane', 'aria-label': t('templates.preview_title') },
        h('p', { class: 'template-preview-title' }, t('templates.preview_title')),
        h('p', { class: 'field-hint' }, t('templates.preview_hint')),
        preview)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button', onclick: onCancel }, t('common.cancel')),
      submit(t(editing ? 'templates.submit_edit' : 'templates.submit'))));
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  refresh();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    contentError.setError('');
    const found = problems();
    if (found.length) {
      for (const [f, text] of found) f.setError(text);
      message.error(t('templates.check_fields'));
      found[0][0].input.focus();
      return;
    }
    const payload = editing
      ? { components: components() }
      : { channel_id: channel.input.value, name: name.input.value, language: languageCode(), category: categoryValue(), components: components() };
    await busy(form, async () => {
      try {
        const saved = editing ? await api.updateTemplate(template.id, payload) : await api.createTemplate(payload);
        onSaved(saved);
      } catch (error) {
        const fields = {
          channel_id: channel, name, language: languageSelect.input.value === 'other' ? languageOther : languageSelect,
          category: categoryError, components: contentError,
        };
        // The server names the part it (or Meta) refused as sent, e.g. components[1].text.
        if (error.field && error.field.startsWith('components[')) fields[error.field] = componentField(error.field, payload.components);
        showError(error, message, fields);
      }
    });
  });
  return form;
}

// A template as the customer's phone shows it: a WhatsApp-like bubble with header, body, footer
// and buttons. Shared by the list's preview (placeholders marked) and the form's live preview
// (the author's example values filled in, read from the components' own `example` fields).

import { h } from '../dom.js';
import { has, t } from '../i18n.js';

/** `components` as Meta defines them. With `fill`, each {{n}} shows its example value. */
export function templateBubble(components, { fill = false } = {}) {
  const list = Array.isArray(components) ? components : [];
  const byType = (type) => list.find((c) => c && String(c.type || '').toUpperCase() === type);
  const header = byType('HEADER');
  const bodyPart = byType('BODY');
  const footer = byType('FOOTER');
  const buttons = byType('BUTTONS');
  const parts = [];
  if (header) {
    const format = String(header.format || 'TEXT').toUpperCase();
    const mediaKey = `templates.media.${format.toLowerCase()}`;
    parts.push(format === 'TEXT'
      ? h('p', { class: 'tpl-header' }, marked(header.text || '', fill ? examples(header, 'header_text') : null))
      : h('p', { class: 'tpl-header tpl-media' }, t(has(mediaKey) ? mediaKey : 'templates.media.other')));
  }
  parts.push(h('p', { class: 'tpl-body' }, bodyPart && bodyPart.text
    ? marked(bodyPart.text, fill ? examples(bodyPart, 'body_text') : null)
    : h('span', { class: 'muted' }, t('templates.no_body'))));
  if (footer && footer.text) parts.push(h('p', { class: 'tpl-footer' }, marked(footer.text)));
  if (buttons && Array.isArray(buttons.buttons) && buttons.buttons.length) {
    parts.push(h('ul', { class: 'tpl-buttons', 'aria-label': t('templates.buttons') },
      buttons.buttons.map((button) => h('li', {},
        h('span', { class: 'tpl-button' }, marked(button.text || '')),
        buttonTarget(button, fill)))));
  }
  return h('div', { class: 'tpl-bubble' }, parts);
}

/** The example values Meta keeps beside a part: header_text is a list, body_text a list of lists. */
function examples(part, key) {
  const found = part.example && part.example[key];
  if (!Array.isArray(found)) return null;
  return Array.isArray(found[0]) ? found[0] : found;
}

function buttonTarget(button, fill) {
  const type = String(button.type || '').toUpperCase();
  if (type === 'URL' && button.url) {
    return h('span', { class: 'tpl-button-target' },
      marked(button.url, fill && Array.isArray(button.example) ? button.example.map(urlTail(button.url)) : null));
  }
  if (type === 'PHONE_NUMBER' && button.phone_number) return h('span', { class: 'tpl-button-target' }, button.phone_number);
  return null;
}

/** Meta's example for a dynamic URL is the whole address; the bubble fills in only what replaces {{1}}. */
function urlTail(url) {
  const prefix = url.split('{{')[0];
  return (example) => (typeof example === 'string' && example.startsWith(prefix) ? example.slice(prefix.length) : example);
}

/** Text with each {{…}} placeholder marked, or replaced by its example (marked as one) when
 *  `values[n-1]` is given. Text nodes only, never markup. */
export function marked(text, values = null) {
  const out = [];
  let last = 0;
  for (const match of String(text).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    const n = /^\d+$/.test(match[1]) ? Number(match[1]) : 0;
    const value = values && n >= 1 && typeof values[n - 1] === 'string' ? values[n - 1] : '';
    out.push(value
      ? h('mark', { class: 'example', title: match[0] }, value)
      : h('mark', { class: 'placeholder' }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

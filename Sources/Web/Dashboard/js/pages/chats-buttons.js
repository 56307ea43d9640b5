// Quick replies in the composer: up to 3 reply buttons under a text message (WhatsApp's limit,
// wire-protocols.md §2.2). The customer taps one instead of typing; the thread shows which. The
// server checks the titles (1 to 20 characters, each its own) and names the field it refused,
// `interactive.buttons[1].title`, so its error is shown under that input.

import { h, icon, uid } from '../dom.js';
import { t } from '../i18n.js';

export const MAX_BUTTONS = 3;

/** The editor: `{ toggle, node, active(), interactive(body), showError(error), reset(), setDisabled(b) }`. */
export function replyButtons({ onChange = () => {} } = {}) {
  const panelId = uid('composer-buttons');
  const listError = h('p', { class: 'field-error', hidden: true, 'data-testid': 'buttons-error' });
  const rows = h('ol', { class: 'composer-button-list' });
  const add = h('button', { type: 'button', class: 'button button-small', onclick: () => { addRow(''); last().input.focus(); } },
    t('chats.buttons.add'));
  const node = h('fieldset', { id: panelId, class: 'composer-buttons', hidden: true },
    h('legend', {}, t('chats.buttons.legend')),
    h('p', { class: 'field-hint' }, t('chats.buttons.hint')),
    rows, listError, add);
  const toggle = h('button', {
    type: 'button', class: 'button composer-toggle-buttons', 'aria-expanded': 'false', 'aria-controls': panelId,
    title: t('chats.buttons.toggle'), onclick: () => setOpen(node.hidden),
  }, icon('buttons'), h('span', { class: 'visually-hidden' }, t('chats.buttons.toggle')));
  let items = [];

  function last() { return items[items.length - 1]; }

  function addRow(value) {
    if (items.length >= MAX_BUTTONS) return;
    const id = uid('composer-button');
    const errorId = `${id}-error`;
    const input = h('input', { id, type: 'text', autocomplete: 'off', 'aria-describedby': errorId, 'data-testid': 'button-title' });
    input.value = value;
    const error = h('p', { class: 'field-error', id: errorId, hidden: true });
    const label = h('label', { for: id });
    const remove = h('button', { type: 'button', class: 'button button-small composer-button-remove' });
    const li = h('li', { class: 'composer-button-row' }, label, input, remove, error);
    const item = { li, input, label, remove, error };
    remove.addEventListener('click', () => {
      items = items.filter((other) => other !== item);
      li.remove();
      if (items.length === 0) setOpen(false); else { renumber(); last().input.focus(); }
      onChange();
    });
    input.addEventListener('input', () => { setRowError(item, ''); onChange(); });
    items.push(item);
    rows.append(li);
    renumber();
  }

  function renumber() {
    items.forEach((item, index) => {
      item.label.textContent = t('chats.buttons.title', { n: index + 1 });
      // A small ×, so the title keeps the row's width on a phone; its name says which button.
      item.remove.replaceChildren(h('span', { 'aria-hidden': 'true' }, '×'),
        h('span', { class: 'visually-hidden' }, t('chats.buttons.remove', { n: index + 1 })));
      item.remove.title = t('chats.buttons.remove', { n: index + 1 });
    });
    add.hidden = items.length >= MAX_BUTTONS;
  }

  function setRowError(item, text) {
    item.error.textContent = text;
    item.error.hidden = !text;
    if (text) item.input.setAttribute('aria-invalid', 'true'); else item.input.removeAttribute('aria-invalid');
  }

  function clearErrors() {
    items.forEach((item) => setRowError(item, ''));
    listError.hidden = true;
    listError.textContent = '';
  }

  function setOpen(open) {
    node.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      if (items.length === 0) addRow('');
      items[0].input.focus();
    } else {
      items = [];
      rows.replaceChildren();
      clearErrors();
    }
    onChange();
  }

  return {
    toggle,
    node,
    /** Whether the message goes with buttons (the editor is open with at least one title). */
    active() { return !node.hidden && items.some((item) => item.input.value.trim()); },
    /** The POST body's `interactive` for a message whose text is `body`; empty rows left out. */
    interactive(body) {
      const titles = items.map((item) => item.input.value).filter((title) => title.trim());
      return {
        type: 'button', body,
        buttons: titles.map((title, index) => ({ id: `reply-${index + 1}`, title: title.trim() })),
      };
    },
    /** Shows an API error on the input it names; returns the input to focus (once the form is
     *  enabled again), or null when the error is not the buttons'. */
    showError(error, text) {
      clearErrors();
      // The server's words are English; the fields it names get ours, in the person's language.
      if (error.code === 'invalid_field') {
        if (/^interactive\.buttons\[\d+\]\.title$/.test(error.field || '')) text = t('chats.buttons.error_title');
        else if (error.field === 'interactive.buttons') text = t('chats.buttons.error_list');
      }
      const match = /^interactive\.buttons\[(\d+)\]\.(title|id)$/.exec(error.field || '');
      const filled = items.filter((item) => item.input.value.trim());
      if (match && filled[Number(match[1])]) {
        const item = filled[Number(match[1])];
        setRowError(item, text);
        return item.input;
      }
      if (error.field === 'interactive.buttons' && items.length) {
        listError.textContent = text;
        listError.hidden = false;
        return items[0].input;
      }
      return null;
    },
    clearErrors,
    reset() { setOpen(false); },
  };
}

// The open conversation's contact, as the assistant sees them (seed 004's contact intelligence):
// a score 0–100 with what moved it, their tags, and the tags the assistant suggests. Staff with
// full Chats access accept a suggestion (it becomes a tag through PATCH /contacts) or dismiss it
// (never suggested again). Folded by default, so a phone keeps the room for the messages.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { has, t } from '../i18n.js';

/** `onContact(contact)` receives the contact after a change; `onError(error)` shows a failure. */
export function contactPanel({ editable, onContact, onError }) {
  const summary = h('summary', { class: 'contact-insights-summary' });
  const body = h('div', { class: 'contact-insights-body' });
  const node = h('details', { class: 'contact-insights', 'data-contact-insights': '', hidden: true }, summary, body);
  let contact = null;

  function render() {
    const intelligence = contact && contact.intelligence;
    node.hidden = !intelligence;
    if (!intelligence) { replace(body); return; }
    replace(summary, h('span', {}, t('chats.contact.title')), ' ',
      h('span', { class: `score-badge ${band(intelligence.score)}`, 'data-score': String(intelligence.score) },
        t('chats.contact.score', { score: intelligence.score })));
    const suggested = intelligence.suggested_tags || [];
    replace(body,
      h('p', { class: 'muted contact-insights-meaning' }, t('chats.contact.meaning', { count: intelligence.customer_messages })),
      h('ul', { class: 'contact-signals', 'aria-label': t('chats.contact.why') },
        intelligence.signals.map((signal) => h('li', {},
          h('span', {}, signalName(signal.name)), ' ',
          h('span', { class: signal.points < 0 ? 'points-down' : 'points-up' }, signal.points > 0 ? `+${signal.points}` : String(signal.points))))),
      h('p', { class: 'contact-tags' }, h('span', { class: 'contact-label' }, `${t('chats.contact.tags')}: `),
        contact.tags.length ? contact.tags.join(', ') : t('chats.contact.no_tags')),
      suggested.length
        ? h('div', { class: 'contact-suggestions' },
          h('p', { class: 'contact-label' }, t('chats.contact.suggested')),
          h('ul', { class: 'tag-suggestions' }, suggested.map((tag) => suggestion(tag))))
        : null);
  }

  function suggestion(tag) {
    return h('li', { class: 'tag-suggestion', 'data-tag': tag },
      h('span', { class: 'tag' }, tag),
      editable ? h('button', { type: 'button', class: 'button button-small', 'data-action': 'accept-tag',
        'aria-label': t('chats.contact.accept_tag', { tag }), onclick: (e) => change({ tags: [...contact.tags, tag] }, e.currentTarget) },
      t('chats.contact.accept')) : null,
      editable ? h('button', { type: 'button', class: 'button button-small', 'data-action': 'dismiss-tag',
        'aria-label': t('chats.contact.dismiss_tag', { tag }), onclick: (e) => change({ dismiss_tags: [tag] }, e.currentTarget) },
      t('chats.contact.dismiss')) : null);
  }

  async function change(body, control) {
    control.disabled = true;
    try {
      contact = await api.updateContact(contact.id, body);
      render();
      onContact(contact);
    } catch (error) {
      control.disabled = false;
      onError(error);
    }
  }

  return {
    node,
    update(next) {
      if (contact && JSON.stringify(contact) === JSON.stringify(next)) return;
      contact = next;
      render();
    },
  };
}

function band(score) {
  return score >= 70 ? 'score-high' : score < 40 ? 'score-low' : 'score-mid';
}

function signalName(name) {
  const key = `chats.contact.signal.${name}`;
  return has(key) ? t(key) : name;
}

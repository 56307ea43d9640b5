// "Incoming call from …": a notice under the header, on every page, for whoever sees Chats, when
// Twilio rings the business (live event call.incoming). It links to the caller's conversations
// when the caller is a known contact, can be dismissed, and leaves when the call's record reaches
// the thread (answered or missed), or after a minute at most.

import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { live } from './live.js';

const SHOWN_MS = 60000;

export function callAlert() {
  const list = h('ul', { class: 'call-alert-list' });
  const node = h('div', { class: 'call-alert', role: 'status', 'aria-live': 'polite', hidden: true }, list);
  const timers = new Map();   // call sid → timer

  function dismiss(sid) {
    clearTimeout(timers.get(sid));
    timers.delete(sid);
    const item = list.querySelector(`li[data-call="${CSS.escape(sid)}"]`);
    if (item) item.remove();
    node.hidden = list.children.length === 0;
  }

  function show(call) {
    const sid = String(call.call_sid || call.at || Date.now());
    if (timers.has(sid)) dismiss(sid);
    const contact = call.contact || null;
    const who = call.caller_name || (contact && contact.display_name) || call.from || t('calls.unknown_caller');
    const conversations = Array.isArray(call.conversations) ? call.conversations : [];
    const item = h('li', { class: 'call-alert-item', 'data-call': sid });
    replace(item,
      h('p', { class: 'call-alert-text' },
        h('strong', {}, t('calls.incoming', { name: who })),
        who !== call.from && call.from ? h('span', { class: 'call-alert-number' }, ` ${call.from}`) : null),
      conversations.length
        ? h('p', { class: 'call-alert-links' }, conversations.map((conversation, index) => [
          index ? ' · ' : null,
          h('a', { href: `/chats/${encodeURIComponent(conversation.id)}`, onclick: () => dismiss(sid) },
            t(conversation.channel === 'sms' ? 'calls.open_sms' : 'calls.open_whatsapp')),
        ]))
        : h('p', { class: 'call-alert-links' }, t('calls.new_caller')),
      h('button', { type: 'button', class: 'button button-small call-alert-dismiss', onclick: () => dismiss(sid) },
        t('calls.dismiss'), h('span', { class: 'visually-hidden' }, ` ${t('calls.incoming', { name: who })}`)));
    list.prepend(item);
    node.hidden = false;
    timers.set(sid, setTimeout(() => dismiss(sid), SHOWN_MS));
  }

  const unsubscribe = live.subscribe((state, event) => {
    if (!event || !event.data) return;
    if (event.type === 'call.incoming') show(event.data);
    // The call ended (answered or missed): its record in the thread replaces the notice.
    const message = event.type === 'message.created' ? event.data.message : null;
    if (message && message.type === 'call' && message.provider_id && timers.has(message.provider_id)) dismiss(message.provider_id);
  });
  return {
    node,
    cleanup() {
      unsubscribe();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

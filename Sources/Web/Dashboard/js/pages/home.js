// Home: what needs someone now — who is waiting for a person, the other unread conversations,
// today's appointments — each kept current by live events; then the live-connection indicator
// and shortcuts to what this role may use. Each list shows the first few, newest first, with a
// link to the page that has them all; an Agent's lists hold only what is assigned to them (the
// server filters, as on Chats).

import { can, visibleNav } from '../access.js';
import { api } from '../api.js';
import { h, icon, initials, replace } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { live } from '../live.js';
import { customerName } from './appointments-card.js';
import { addDays, startOfDay, timeLabel, timeRange } from './appointments-time.js';
import { contactName, unreadBadge } from './chats-channel.js';
import { shortTime } from './chats-message.js';

const SHOWN = 5;
const CLOSED_APPOINTMENTS = ['cancelled', 'no_show'];

export function homePage(context) {
  const { staff, permissions } = context.session;
  const indicator = h('p', { class: 'live-indicator', role: 'status', 'aria-live': 'polite' });
  const lastEvent = h('p', { class: 'muted live-last' });
  const chats = can(permissions, 'chats');
  const waiting = chats ? listCard('waiting', t('home.waiting_title'), '/chats', t('home.open_chats')) : null;
  const unread = chats ? listCard('unread', t('home.unread_title'), '/chats', t('home.open_chats')) : null;
  const today = chats ? listCard('today', t('home.today_title'), '/appointments', t('home.open_calendar')) : null;

  async function loadChats() {
    if (!chats) return;
    try {
      const [pending, open] = await Promise.all([
        api.listConversations({ filter: 'pending_human', limit: 50 }),
        api.listConversations({ filter: 'all', limit: 50 })]);
      waiting.show(pending.items, conversationItem, t('home.waiting_empty'), Boolean(pending.next_cursor));
      unread.show(open.items.filter((c) => c.unread > 0 && c.status !== 'pending_human'), conversationItem,
        t('home.unread_empty'), false);
    } catch (error) {
      waiting.fail(error); unread.fail(error);
    }
  }

  async function loadToday() {
    if (!chats) return;
    const from = startOfDay(new Date());
    try {
      const answer = await api.listAppointments({ from: from.toISOString(), to: addDays(from, 1).toISOString() });
      const items = answer.items.filter((a) => !CLOSED_APPOINTMENTS.includes(a.status))
        .sort((a, b) => new Date(a.start) - new Date(b.start));
      today.show(items, appointmentItem, t('home.today_empty'), false);
    } catch (error) {
      today.fail(error);
    }
  }

  // Live events say something changed; the lists are read again, at most once a second.
  const refresh = debounced({ chats: loadChats, today: loadToday });
  const unsubscribe = live.subscribe((state, event) => {
    indicator.dataset.state = state;
    replace(indicator, h('span', { class: 'dot', 'aria-hidden': 'true' }), t(`live.${state}`));
    if (!event) return;
    lastEvent.textContent = t('live.last_event', { type: event.type, time: formatDate(new Date()) });
    if (event.type.startsWith('message.') || event.type.startsWith('conversation.')) refresh('chats');
    if (event.type.startsWith('appointment.')) refresh('today');
  });
  loadChats();
  loadToday();

  const shortcuts = visibleNav(permissions).filter((item) => item.path !== '/');
  return {
    title: t('nav.home'),
    cleanup: () => { unsubscribe(); refresh.cancel(); },
    node: h('section', { class: 'page' },
      h('h1', {}, t('home.greeting', { name: staff.name })),
      h('div', { class: 'cards' },
        waiting?.node, unread?.node, today?.node,
        h('section', { class: 'card', 'aria-labelledby': 'live-heading' },
          h('h2', { id: 'live-heading' }, t('home.live_title')),
          indicator,
          h('p', { class: 'muted' }, t('home.live_note')),
          lastEvent),
        h('section', { class: 'card', 'aria-labelledby': 'shortcuts-heading' },
          h('h2', { id: 'shortcuts-heading' }, t('home.shortcuts')),
          h('ul', { class: 'shortcut-list' }, shortcuts.map((item) =>
            h('li', {}, h('a', { href: item.path }, icon(item.icon), t(item.key)))))))),
  };
}

/** A card with a heading, a short list (or a line saying it is empty) and a link to the rest. */
function listCard(name, title, href, linkText) {
  const heading = `home-${name}-heading`;
  const count = h('span', { class: 'home-count', hidden: true });
  const body = h('div', { class: 'home-body' }, h('p', { class: 'muted' }, t('common.loading')));
  const node = h('section', { class: `card home-card home-${name}`, 'aria-labelledby': heading, 'aria-busy': 'true' },
    h('h2', { id: heading }, title, ' ', count),
    body,
    h('p', { class: 'home-more' }, h('a', { href }, linkText)));
  return {
    node,
    /** Shows the first few of `items`; `more` when the server has more than it sent. */
    show(items, render, emptyText, more) {
      node.removeAttribute('aria-busy');
      count.hidden = items.length === 0;
      count.textContent = items.length > SHOWN || more ? `${SHOWN}+` : String(items.length);
      replace(body, items.length === 0
        ? h('p', { class: 'muted home-empty' }, emptyText)
        : h('ul', { class: 'home-list' }, items.slice(0, SHOWN).map((item) => h('li', {}, render(item)))));
    },
    fail(error) {
      node.removeAttribute('aria-busy');
      replace(body, h('p', { class: 'message message-error', role: 'alert' }, error.display || String(error.message || error)));
    },
  };
}

function conversationItem(conversation) {
  const name = contactName(conversation.contact);
  return h('a', { class: 'home-item', href: `/chats/${encodeURIComponent(conversation.id)}`, 'data-id': conversation.id },
    h('span', { class: 'avatar chat-avatar', 'aria-hidden': 'true' }, initials(name)),
    h('span', { class: 'home-item-main' },
      h('span', { class: 'home-item-top' },
        h('span', { class: 'home-item-name' }, name),
        h('time', { class: 'muted', datetime: conversation.last_message_at || '' }, shortTime(conversation.last_message_at))),
      h('span', { class: 'home-item-line muted' }, conversation.preview || '')),
    unreadBadge(conversation.unread));
}

function appointmentItem(appointment) {
  const customer = customerName(appointment);
  const href = appointment.conversation_id ? `/chats/${encodeURIComponent(appointment.conversation_id)}` : '/appointments';
  return h('a', { class: 'home-item', href, 'data-id': appointment.id },
    h('span', { class: 'home-item-main' },
      h('span', { class: 'home-item-top' },
        h('span', { class: 'home-item-name' }, appointment.service_name),
        h('time', { class: 'home-item-time', datetime: appointment.start, title: timeRange(appointment.start, appointment.end) },
          timeLabel(appointment.start))),
      h('span', { class: 'home-item-line muted' }, customer)));
}

/** `refresh(name)` runs `loaders[name]` a second after the first call of a burst. */
function debounced(loaders) {
  const timers = new Map();
  const refresh = (name) => {
    if (timers.has(name)) return;
    timers.set(name, setTimeout(() => { timers.delete(name); loaders[name](); }, 1000));
  };
  refresh.cancel = () => { for (const timer of timers.values()) clearTimeout(timer); timers.clear(); };
  return refresh;
}

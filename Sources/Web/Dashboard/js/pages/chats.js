// Chats, the shared inbox (seed 003 §6.2.1): conversations on the left, newest first, with
// search, filters, unread badges and the last message; the open thread on the right. At 600 px
// and below the list and the thread are two views with a back button. Live events move rows,
// add messages to the open thread and change ticks; while the tab is hidden new customer
// messages count in the title and, if the person allowed it, show a browser notification.
// The open conversation is in the address as /chats/<id> (the server answers index.html for it),
// so reloading, a bookmark or a notification opens it again; links of the older form
// /chats?conversation=<id> still open it and are rewritten to the new one.

import { can } from '../access.js';
import { api } from '../api.js';
import { h, initials, replace, uid } from '../dom.js';
import { messageArea } from '../forms.js';
import { t } from '../i18n.js';
import { live } from '../live.js';
import { chatError } from './chats-composer.js';
import { shortTime } from './chats-message.js';
import { channelBadge, channelOf, contactName, unreadBadge } from './chats-channel.js';
import { thread } from './chats-thread.js';

const ALL_FILTERS = ['all', 'mine', 'unassigned', 'pending_human', 'archived', 'blocked'];
// An Agent sees only conversations assigned to them: "mine" and "unassigned" say nothing new.
const AGENT_FILTERS = ['all', 'pending_human', 'archived'];

export function chatsPage(context) {
  const { session } = context;
  const me = session.staff.id;
  const filters = session.permissions.chats === 'assigned' ? AGENT_FILTERS : ALL_FILTERS;
  const state = { filter: 'all', q: '', cursor: null, generation: 0, open: null, unseen: 0 };
  const rows = new Map();              // id → { conversation, li }
  const message = messageArea();
  // Only roles that may list staff get names in the assignee picker (GET /staff is Settings').
  // Whoever may assign (Chats full) gets the picker's names; Agents only take a conversation.
  const staff = can(session.permissions, 'chats', 'full') ? api.listAssignees().then((answer) => answer.items) : null;
  if (staff) staff.catch(() => { /* the picker then offers "assign to me" only */ });

  const searchId = uid('chat-search');
  const search = h('input', { id: searchId, type: 'search', class: 'chat-search', autocomplete: 'off', placeholder: t('chats.search_placeholder') });
  const filterId = uid('chat-filter');
  const filter = h('select', { id: filterId, class: 'chat-filter' },
    filters.map((name) => h('option', { value: name }, t(`chats.filter.${name}`))));
  const list = h('ul', { class: 'chat-list', 'aria-label': t('chats.list_label') });
  const empty = h('p', { class: 'muted chat-empty', hidden: true });
  const more = h('button', { type: 'button', class: 'button button-small chat-more', hidden: true, onclick: () => load(false) },
    t('common.load_more'));
  const notify = h('button', { type: 'button', class: 'button button-small chat-notify', hidden: !wantsPermission(), onclick: askPermission },
    t('chats.notify_enable'));
  const threadPane = h('div', { class: 'chat-thread-pane' }, placeholder());
  const layout = h('div', { class: 'chats', 'data-view': 'list' },
    h('div', { class: 'chat-list-pane' },
      h('div', { class: 'chat-tools' },
        h('label', { for: searchId, class: 'visually-hidden' }, t('chats.search')), search,
        h('label', { for: filterId, class: 'visually-hidden' }, t('chats.filter_label')), filter),
      message.el, notify, list, empty, more),
    threadPane);

  let searchTimer = null;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = search.value.trim(); load(true); }, 300);
  });
  filter.addEventListener('change', () => { state.filter = filter.value; load(true); });

  async function load(reset) {
    if (reset) { state.generation += 1; state.cursor = null; rows.clear(); list.replaceChildren(); }
    const mine = state.generation;
    more.disabled = true;
    message.clear();
    try {
      const page = await api.listConversations({ filter: state.filter, q: state.q, cursor: state.cursor });
      if (mine !== state.generation) return;
      for (const conversation of page.items) if (!rows.has(conversation.id)) put(conversation, false);
      state.cursor = page.next_cursor || null;
      more.hidden = !state.cursor;
      showEmpty();
    } catch (error) {
      message.error(chatError(error));
    } finally {
      more.disabled = false;
    }
  }

  function showEmpty() {
    empty.hidden = rows.size > 0;
    empty.textContent = state.q ? t('chats.empty_search') : t(`chats.empty.${state.filter}`);
  }

  /** Adds or redraws a row; `move` puts it where its last message time belongs (newest first). */
  function put(conversation, move) {
    const known = rows.get(conversation.id);
    const li = h('li', { 'data-id': conversation.id }, rowButton(conversation));
    rows.set(conversation.id, { conversation, li });
    if (known && !move) { known.li.replaceWith(li); return; }
    if (known) known.li.remove();
    const key = sortKey(conversation);
    const next = [...list.children].find((other) => sortKey(rows.get(other.dataset.id).conversation) < key);
    if (move || !known) list.insertBefore(li, next || null);
  }

  function rowButton(conversation) {
    const contact = conversation.contact;
    const name = contactName(contact);
    const unread = conversation.unread > 0;
    return h('button', {
      type: 'button', class: `chat-item${unread ? ' chat-unread' : ''}`,
      'aria-current': state.open && state.open.id === conversation.id ? 'true' : null,
      onclick: () => select(conversation.id, { push: true, focus: true }),
    },
    h('span', { class: 'avatar chat-avatar', 'aria-hidden': 'true' }, initials(name)),
    h('span', { class: 'chat-main' },
      // The name has the top row to itself beside the time: on a phone the channel badge
      // there left it five letters.
      h('span', { class: 'chat-top' },
        h('span', { class: 'chat-name' }, name),
        h('time', { class: 'chat-time', datetime: conversation.last_message_at || '' }, shortTime(conversation.last_message_at))),
      h('span', { class: 'chat-bottom' },
        channelBadge(channelOf(conversation)),
        h('span', { class: 'chat-preview' }, conversation.preview || ''),
        conversation.status === 'pending_human' ? h('span', { class: 'chat-chip' }, t('chats.status_label.pending_human')) : null,
        unreadBadge(conversation.unread))));
  }

  // Agents see only the conversations assigned to them (the server says so too): one handed to
  // someone else leaves their list when the change arrives.
  const seesAll = ['full', 'view'].includes(session.permissions && session.permissions.chats);

  function matches(conversation) {
    const status = conversation.status;
    if (!seesAll && conversation.assignee_id !== me) return false;
    switch (state.filter) {
      case 'all': return status !== 'archived' && status !== 'blocked';
      case 'mine': return conversation.assignee_id === me && status !== 'archived';
      case 'unassigned': return !conversation.assignee_id && (status === 'open' || status === 'pending_human');
      default: return status === state.filter;
    }
  }

  /** A conversation changed (event or action here): redraw, insert or remove its row. */
  function changed(conversation, { bump = false, fromThread = false } = {}) {
    const known = rows.has(conversation.id);
    if (!matches(conversation)) {
      if (known) { rows.get(conversation.id).li.remove(); rows.delete(conversation.id); showEmpty(); }
    } else if (known || !state.q) {
      // A search is the server's to answer: rows it did not return are not added from events.
      put(conversation, bump || !known);
      showEmpty();
    }
    if (!fromThread && state.open && state.open.id === conversation.id) state.open.conversationChanged(conversation);
  }

  async function select(id, { push = false, focus = false } = {}) {
    if (push) history.pushState(null, '', chatPath(id));
    layout.dataset.view = 'thread';
    let conversation = rows.get(id) && rows.get(id).conversation;
    if (!conversation) {
      try {
        conversation = await api.getConversation(id);
      } catch (error) {
        replace(threadPane, h('div', { class: 'empty-state' }, h('p', { role: 'alert' }, chatError(error)),
          h('button', { type: 'button', class: 'button', onclick: back }, t('chats.back'))));
        return;
      }
    }
    if (state.open) state.open.stop();
    state.open = thread(conversation, {
      context, staff, onBack: back, onChanged: (next) => changed(next, { fromThread: true }),
    });
    replace(threadPane, state.open.node);
    for (const [otherId, row] of rows) {
      const button = row.li.firstChild;
      if (otherId === id) button.setAttribute('aria-current', 'true'); else button.removeAttribute('aria-current');
    }
    if (focus) state.open.focus();
  }

  function back() {
    history.pushState(null, '', '/chats');
    layout.dataset.view = 'list';
    const row = state.open && rows.get(state.open.id);
    if (row) row.li.firstChild.focus(); else search.focus();
  }

  const unsubscribe = live.subscribe((liveState, event) => {
    if (!event || !event.data) return;
    const data = event.data;
    if (event.type === 'message.created' && data.conversation && data.message) {
      changed(data.conversation, { bump: true });
      if (state.open) state.open.messageChanged(data.message);
      if (data.message.direction === 'inbound' && document.hidden) alertHidden(data.conversation, data.message);
    } else if (event.type === 'message.updated' && data.message) {
      if (state.open) state.open.messageChanged(data.message);
    } else if (event.type === 'conversation.updated' && data.id) {
      changed(data);
    } else if ((event.type === 'appointment.created' || event.type === 'appointment.updated') && data.id) {
      if (state.open) state.open.appointmentChanged(data);
    }
  });

  function alertHidden(conversation, inbound) {
    state.unseen += 1;
    document.title = `(${state.unseen}) ${t('nav.chats')} · ${t('app.name')}`;
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    const contact = conversation.contact;
    const shown = new Notification(contact.display_name || contact.phone || t('app.name'), {
      body: inbound.text || t('chats.notify_new'), tag: conversation.id,
    });
    shown.onclick = () => { window.focus(); select(conversation.id, { push: true, focus: true }); shown.close(); };
  }

  const onVisibility = () => {
    if (document.hidden) return;
    state.unseen = 0;
    document.title = `${t('nav.chats')} · ${t('app.name')}`;
    if (state.open) state.open.visible();
  };
  document.addEventListener('visibilitychange', onVisibility);

  function askPermission() {
    Notification.requestPermission().then(() => { notify.hidden = !wantsPermission(); }, () => { notify.hidden = true; });
  }

  load(true);
  const linked = new URLSearchParams(location.search).get('conversation');
  const initial = location.pathname.startsWith('/chats/')
    ? decodeURIComponent(location.pathname.slice('/chats/'.length)) : linked;
  if (linked) history.replaceState(null, '', chatPath(linked));
  if (initial) select(initial);

  return {
    title: t('nav.chats'),
    cleanup: () => {
      unsubscribe();
      clearTimeout(searchTimer);
      document.removeEventListener('visibilitychange', onVisibility);
      if (state.open) state.open.stop();
    },
    node: h('section', { class: 'page chats-page' }, h('h1', { class: 'visually-hidden' }, t('nav.chats')), layout),
  };
}

/** The address of one conversation in the dashboard. */
export function chatPath(id) {
  return `/chats/${encodeURIComponent(id)}`;
}

function placeholder() {
  return h('div', { class: 'chat-placeholder' }, h('p', { class: 'muted' }, t('chats.pick')));
}

function sortKey(conversation) {
  return `${conversation.last_message_at || conversation.created_at || ''}|${conversation.id}`;
}

function wantsPermission() {
  return 'Notification' in window && Notification.permission === 'default';
}

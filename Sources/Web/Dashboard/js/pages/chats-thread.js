// One open conversation: a header with who it is and what staff can do (assign, archive or
// reopen, block or unblock, the assistant on or off), the contact's insights and appointments, the messages oldest first with older pages
// on demand, and the composer. Live events are handed in by the Chats page.

import { can } from '../access.js';
import { api } from '../api.js';
import { confirmDialog } from '../dialogs.js';
import { h, replace, uid } from '../dom.js';
import { messageArea } from '../forms.js';
import { has, t } from '../i18n.js';
import { chatError, composer } from './chats-composer.js';
import { channelBadge, channelOf, consentBadges, contactName } from './chats-channel.js';
import { contactAppointments } from './chats-appointments.js';
import { contactPanel } from './chats-contact.js';
import { messageBubble, preview } from './chats-message.js';

/**
 * `staff` is a promise of the staff list (or null when this role may not list staff);
 * `onBack()` returns to the list on phones; `onChanged(conversation)` refreshes the list row.
 */
export function thread(initial, { context, staff, onBack, onChanged }) {
  const { session } = context;
  const me = session.staff.id;
  const full = can(session.permissions, 'chats', 'full');
  let conversation = initial;
  let cursor = null;
  const messages = new Map();            // id → message
  const rows = new Map();                // id → <li>
  const quotes = new Map();              // provider id → promise of a message or null
  const notice = messageArea();
  const list = h('ol', { class: 'thread-messages', role: 'log', 'aria-live': 'polite', 'aria-label': t('chats.messages') });
  const older = h('button', { type: 'button', class: 'button button-small thread-older', hidden: true, onclick: () => load(false) },
    t('chats.load_older'));
  const scroller = h('div', { class: 'thread-scroll', tabindex: '0', 'aria-label': t('chats.messages') }, older, list);
  // A response can arrive after the live events about the same message (the send job is quick):
  // the copy in a response only ever adds a message, never overwrites a newer state.
  const write = composer({ onSent: (message) => { if (!messages.has(message.id)) add(message, true); } });
  const titleId = uid('thread-title');
  const title = h('h2', { id: titleId, class: 'thread-title' });
  const subtitle = h('p', { class: 'thread-subtitle muted' });
  const badges = h('p', { class: 'thread-badges' });
  const handoff = h('p', { class: 'thread-handoff', role: 'status', hidden: true });
  const actions = h('div', { class: 'thread-actions', id: uid('thread-actions') });
  const actionsToggle = h('button', {
    type: 'button', class: 'button button-small thread-actions-toggle', 'aria-expanded': 'false', 'aria-controls': actions.id,
    onclick: () => {
      const open = !actions.classList.contains('open');
      actions.classList.toggle('open', open);
      actionsToggle.setAttribute('aria-expanded', String(open));
    },
  }, t('chats.actions'));
  let staffMembers = [];
  const insights = contactPanel({
    editable: full,
    onContact: (contact) => setConversation({ ...conversation, contact }),
    onError: (error) => notice.error(chatError(error)),
  });
  const visits = contactAppointments();

  const node = h('section', { class: 'thread', 'aria-labelledby': titleId, 'data-conversation': conversation.id },
    h('header', { class: 'thread-header' },
      h('button', { type: 'button', class: 'button button-small thread-back', onclick: onBack },
        h('span', { 'aria-hidden': 'true' }, '←'), h('span', { class: 'thread-back-label' }, t('chats.back'))),
      h('div', { class: 'thread-who' }, title, badges, subtitle),
      actionsToggle, actions),
    handoff, insights.node, visits.node, notice.el, scroller, write.node);

  function renderHeader() {
    const contact = conversation.contact;
    title.textContent = contactName(contact);
    replace(badges, channelBadge(channelOf(conversation)), consentBadges(contact));
    const assignee = conversation.assignee_id === me ? t('chats.assigned_to_you')
      : conversation.assignee_id ? t('chats.assigned_to', { name: staffName(conversation.assignee_id) }) : t('chats.unassigned');
    subtitle.textContent = [contact.phone || contact.wa_id, t(`chats.status_label.${conversation.status}`), assignee].filter(Boolean).join(' · ');
    const archived = conversation.status === 'archived';
    const blocked = contact.blocked || conversation.status === 'blocked';
    const waiting = conversation.status === 'pending_human';
    handoff.hidden = !waiting;
    handoff.textContent = waiting ? handoffText(conversation.handoff_reason) : '';
    insights.update(contact);
    visits.setContact(contact.id);
    const aiId = uid('ai');
    const ai = h('input', { id: aiId, type: 'checkbox', class: 'switch', checked: conversation.ai_enabled });
    ai.addEventListener('change', () => change({ ai_enabled: ai.checked }, ai));
    replace(actions,
      full ? assignPicker() : null,
      full && conversation.assignee_id !== me
        ? h('button', { type: 'button', class: 'button button-small', onclick: (e) => change({ assignee_id: me }, e.currentTarget) }, t('chats.assign_to_me'))
        : null,
      h('button', { type: 'button', class: 'button button-small', 'data-action': archived ? 'reopen' : 'archive',
        onclick: (e) => change({ status: archived ? 'open' : 'archived' }, e.currentTarget) }, t(archived ? 'chats.reopen' : 'chats.archive')),
      full ? h('button', { type: 'button', class: `button button-small${blocked ? '' : ' button-danger'}`, 'data-action': blocked ? 'unblock' : 'block',
        onclick: () => setBlocked(!blocked) }, t(blocked ? 'chats.unblock' : 'chats.block')) : null,
      full && conversation.ai_enabled
        ? h('button', { type: 'button', class: 'button button-small', 'data-action': 'take-over',
          onclick: (e) => change({ assignee_id: me, ai_enabled: false }, e.currentTarget) }, t('chats.take_over'))
        : null,
      !conversation.ai_enabled
        ? h('button', { type: 'button', class: 'button button-small', 'data-action': 'give-back',
          onclick: (e) => change({ ai_enabled: true }, e.currentTarget) }, t('chats.give_back'))
        : null,
      h('div', { class: 'ai-toggle' }, ai, h('label', { for: aiId }, t('chats.ai'))));
  }

  function assignPicker() {
    const id = uid('assignee');
    const select = h('select', { id, class: 'assign-select' },
      h('option', { value: '' }, t('chats.unassigned')),
      staffMembers.filter((member) => !member.disabled || member.id === conversation.assignee_id)
        .map((member) => h('option', { value: member.id, selected: member.id === conversation.assignee_id }, member.name)));
    if (conversation.assignee_id && !staffMembers.some((m) => m.id === conversation.assignee_id)) {
      select.append(h('option', { value: conversation.assignee_id, selected: true }, staffName(conversation.assignee_id)));
    }
    select.addEventListener('change', () => change({ assignee_id: select.value || null }, select));
    return h('div', { class: 'assign' }, h('label', { for: id }, t('chats.assignee')), select);
  }

  function staffName(id) {
    if (id === me) return session.staff.name;
    const member = staffMembers.find((m) => m.id === id);
    return member ? member.name : t('chats.someone');
  }

  async function change(body, control) {
    notice.clear();
    if (control) control.disabled = true;
    try {
      setConversation(await api.updateConversation(conversation.id, body));
    } catch (error) {
      notice.error(chatError(error));
      renderHeader();
    } finally {
      if (control) control.disabled = false;
    }
  }

  async function setBlocked(blocked) {
    const name = conversation.contact.display_name || conversation.contact.phone;
    if (blocked && !(await confirmDialog(t('chats.block_title', { name }), t('chats.block_warning'), t('chats.block')))) return;
    notice.clear();
    try {
      const contact = await api.updateContact(conversation.contact.id, { blocked });
      // The server also moves this contact's conversations; its event redraws the header too.
      setConversation({ ...conversation, contact, status: blocked ? 'blocked' : (conversation.status === 'blocked' ? 'open' : conversation.status) });
    } catch (error) {
      notice.error(chatError(error));
    }
  }

  function setConversation(next) {
    conversation = next;
    renderHeader();
    write.update(conversation);
    onChanged(conversation);
  }

  async function load(first) {
    older.disabled = true;
    try {
      const page = await api.listMessages(conversation.id, first ? null : cursor);
      const height = scroller.scrollHeight;
      for (const message of page.items) if (!messages.has(message.id)) add(message, false);
      cursor = page.next_cursor || null;
      older.hidden = !cursor;
      if (first) scroller.scrollTop = scroller.scrollHeight;
      else scroller.scrollTop += scroller.scrollHeight - height;   // keep the reader's place
    } catch (error) {
      notice.error(chatError(error));
    } finally {
      older.disabled = false;
    }
  }

  /** Adds or redraws a message; new ones at the bottom scroll into view if the reader was there. */
  function add(message, follow) {
    if (message.conversation_id !== conversation.id) return;
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    messages.set(message.id, message);
    // SMS has no quoted replies: its messages get no Reply button.
    const row = messageBubble(message, { quote, onReply: (m) => write.setReply(m), onRetry: retry, onSuggest: (text) => write.suggest(text),
      canQuote: channelOf(conversation) !== 'sms' });
    const old = rows.get(message.id);
    rows.set(message.id, row);
    if (old) { old.replaceWith(row); return; }
    const after = [...messages.values()].filter((m) => m.id !== message.id && rows.get(m.id).isConnected && order(m, message) > 0)
      .sort(order)[0];
    if (after) list.insertBefore(row, rows.get(after.id)); else list.append(row);
    if (follow && (atBottom || message.direction === 'outbound')) scroller.scrollTop = scroller.scrollHeight;
  }

  /** The quoted message: the server's preview when it had the message, else looked up. */
  function quote(replyTo) {
    if (replyTo.preview) return h('blockquote', { class: 'msg-quote' }, replyTo.preview);
    const providerId = replyTo.provider_id;
    const box = h('blockquote', { class: 'msg-quote' }, t('chats.quote_loading'));
    const known = [...messages.values()].find((m) => m.provider_id === providerId);
    if (!quotes.has(providerId)) {
      quotes.set(providerId, known ? Promise.resolve(known)
        : api.findMessage(providerId).then((page) => page.items[0] || null, () => null));
    }
    quotes.get(providerId).then((quoted) => {
      box.textContent = quoted ? preview(quoted) : t('chats.quote_missing');
    });
    return box;
  }

  async function retry(message, button) {
    button.disabled = true;
    notice.clear();
    try {
      const queued = await api.retryMessage(message.id);
      if (messages.get(queued.id).status === 'failed') add(queued, false);
    } catch (error) {
      notice.error(chatError(error));
      button.disabled = false;
    }
  }

  function markRead() {
    if (document.hidden || conversation.unread === 0) return;
    api.markRead(conversation.id).catch(() => { /* the badge stays; the next open tries again */ });
  }

  renderHeader();
  write.update(conversation);
  if (staff) {
    staff.then((members) => { staffMembers = members; renderHeader(); }, () => { /* names stay generic */ });
  }
  load(true);
  markRead();

  return {
    node,
    id: conversation.id,
    focus() { write.focus(); },
    conversationChanged(next) { if (next.id === conversation.id) { setConversation(next); markRead(); } },
    messageChanged(message) { if (message.conversation_id === conversation.id) add(message, true); },
    appointmentChanged(appointment) { visits.changed(appointment); },
    visible() { markRead(); },
    stop() { write.stop(); },
  };
}

/** Why the conversation waits for a person, in plain words. */
function handoffText(reason) {
  const key = `chats.handoff.${reason}`;
  return reason && has(key) ? t(key) : t('chats.handoff.unknown');
}

function order(a, b) {
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

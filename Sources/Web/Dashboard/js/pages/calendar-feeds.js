// Appointments → Calendar feeds: a staff member's appointments in Google or Apple Calendar
// through a secret link (GET /calendar/feeds/<token>.ics, issue 12). The link is shown once, with
// Copy and how to subscribe; making a new one or revoking stops the old link. Everyone manages
// their own feed; Admins and Managers (dashboard: full) anyone's, as the API allows.

import { can } from '../access.js';
import { api } from '../api.js';
import { confirmDialog } from '../dialogs.js';
import { h, replace } from '../dom.js';
import { copyButton, messageArea } from '../forms.js';
import { formatDate, t } from '../i18n.js';

export function calendarFeedsPage(context) {
  const { session } = context;
  const manager = can(session.permissions, 'dashboard', 'full');
  const message = messageArea();
  const linkBox = h('div', { class: 'secret-box feed-link', hidden: true, 'data-testid': 'feed-link' });
  const list = h('ul', { class: 'feed-list', 'aria-label': t('feeds.title') });
  let people = [];
  let feeds = new Map();     // staff id → { created_at }

  async function load() {
    try {
      const [listed, staff] = await Promise.all([
        api.listCalendarFeeds(),
        // Who appears: everyone with hours for a manager (the availability list names every
        // enabled member), only oneself for the others.
        manager ? api.listAvailability().then((a) => a.items.map((x) => ({ id: x.staff_id, name: x.staff_name }))) : null,
      ]);
      feeds = new Map(listed.items.map((feed) => [feed.staff_id, feed]));
      people = staff || [{ id: session.staff.id, name: session.staff.name }];
      if (!people.some((p) => p.id === session.staff.id)) people.unshift({ id: session.staff.id, name: session.staff.name });
      for (const feed of listed.items) if (!people.some((p) => p.id === feed.staff_id)) people.push({ id: feed.staff_id, name: feed.staff_name });
      render();
    } catch (error) {
      message.error(error.display);
    }
  }

  function render() {
    replace(list, people.map((person) => {
      const feed = feeds.get(person.id);
      const name = person.id === session.staff.id ? t('feeds.you', { name: person.name }) : person.name;
      return h('li', { class: 'feed-row card', 'data-staff': person.id },
        h('div', { class: 'feed-who' },
          h('h3', {}, name),
          h('p', { class: 'muted feed-state' }, feed ? t('feeds.active_since', { time: formatDate(feed.created_at) }) : t('feeds.none'))),
        h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'button button-small', 'data-action': 'create-feed', onclick: () => create(person, Boolean(feed)) },
            t(feed ? 'feeds.replace' : 'feeds.create'), h('span', { class: 'visually-hidden' }, ` ${person.name}`)),
          feed ? h('button', { type: 'button', class: 'button button-small button-danger', 'data-action': 'revoke-feed', onclick: () => revoke(person) },
            t('feeds.revoke'), h('span', { class: 'visually-hidden' }, ` ${person.name}`)) : null));
    }));
  }

  async function create(person, replacing) {
    if (replacing && !(await confirmDialog(t('feeds.replace_title', { name: person.name }), t('feeds.replace_warning'), t('feeds.replace')))) return;
    message.clear();
    try {
      const created = await api.createCalendarFeed(person.id);
      feeds.set(person.id, created);
      render();
      showLink(created);
    } catch (error) {
      message.error(error.display);
    }
  }

  async function revoke(person) {
    if (!(await confirmDialog(t('feeds.revoke_title', { name: person.name }), t('feeds.revoke_warning'), t('feeds.revoke')))) return;
    message.clear();
    try {
      await api.revokeCalendarFeed(person.id);
      feeds.delete(person.id);
      hideLink();
      render();
      message.success(t('feeds.revoked', { name: person.name }));
      // The Revoke button is gone with its row's redraw: the focus goes to the row's Create link.
      list.querySelector(`[data-staff="${person.id}"] button`)?.focus();
    } catch (error) {
      message.error(error.display);
    }
  }

  function hideLink() { linkBox.hidden = true; replace(linkBox); }

  function showLink(created) {
    // `url` is null until the server knows its public address; this browser's address stands in.
    const url = created.url || `${location.origin}${created.path}`;
    const code = h('code', { class: 'secret', tabindex: '0', 'data-testid': 'feed-url' }, url);
    const status = h('span', { class: 'muted', role: 'status' });
    replace(linkBox,
      h('h3', {}, t('feeds.link_title', { name: created.staff_name })),
      h('p', {}, t('feeds.link_once')),
      h('div', { class: 'secret-row' }, code, copyButton(url, code, status)), status,
      created.url ? null : h('p', { class: 'feed-public' }, t('feeds.no_public_url')),
      h('div', { class: 'feed-help' },
        h('h4', {}, t('feeds.google_title')),
        h('ol', {}, ['feeds.google_1', 'feeds.google_2', 'feeds.google_3'].map((key) => h('li', {}, t(key)))),
        h('h4', {}, t('feeds.apple_title')),
        h('ol', {}, ['feeds.apple_1', 'feeds.apple_2', 'feeds.apple_3'].map((key) => h('li', {}, t(key)))),
        h('p', { class: 'muted' }, t('feeds.refresh_note'))),
      h('button', { type: 'button', class: 'button', onclick: () => { hideLink(); list.querySelector(`[data-staff="${created.staff_id}"] button`)?.focus(); } },
        t('feeds.done')));
    linkBox.hidden = false;
    code.focus();
  }

  load();
  return {
    title: t('feeds.title'),
    node: h('section', { class: 'page calendar-feeds-page' },
      h('h1', {}, t('feeds.title')),
      h('p', {}, h('a', { href: '/appointments' }, t('appointments.back'))),
      h('p', { class: 'muted' }, t(manager ? 'feeds.intro_manager' : 'feeds.intro')),
      message.el, linkBox, list),
  };
}

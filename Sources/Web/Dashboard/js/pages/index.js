// Path → page. Each page returns { title, node, cleanup? }; pages the role may not use show a
// plain "no access" state (the server refuses their API calls as well).

import { can, visibleSettings } from '../access.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { appointmentsPage } from './appointments.js';
import { assistantFrame } from './assistant.js';
import { assistantSettingsPage } from './assistant-settings.js';
import { auditPage } from './audit.js';
import { availabilityPage } from './availability.js';
import { calendarFeedsPage } from './calendar-feeds.js';
import { channelsPage } from './channels.js';
import { chatsPage } from './chats.js';
import { homePage } from './home.js';
import { knowledgePage } from './knowledge.js';
import { laterPage } from './later.js';
import { servicesPage } from './services.js';
import { settingsFrame } from './settings.js';
import { staffPage } from './staff.js';
import { templatesPage } from './templates.js';
import { tokensPage } from './tokens.js';

const ROUTES = {
  '/': { area: 'dashboard', page: homePage },
  '/home': { area: 'dashboard', page: homePage },
  '/chats': { area: 'chats', page: chatsPage },
  '/appointments': { area: 'chats', page: appointmentsPage },
  // Everyone has a calendar feed of their own (GET /api/v1/calendar-feeds needs dashboard: view).
  '/appointments/feeds': { area: 'dashboard', page: calendarFeedsPage },
  '/assistant/knowledge': { area: 'assistant', page: assistantFrame(knowledgePage) },
  '/assistant/settings': { area: 'assistant', page: assistantFrame(assistantSettingsPage) },
  '/campaigns': { area: 'campaigns', page: laterPage('campaigns') },
  '/reports': { area: 'dashboard', page: laterPage('reports') },
  '/settings/staff': { area: 'settings', level: 'view', page: settingsFrame(staffPage) },
  '/settings/tokens': { area: 'settings', level: 'full', page: settingsFrame(tokensPage) },
  '/settings/channels': { area: 'settings', level: 'view', page: settingsFrame(channelsPage) },
  '/settings/templates': { area: 'settings', level: 'view', page: settingsFrame(templatesPage) },
  '/settings/audit': { area: 'settings', level: 'full', page: settingsFrame(auditPage) },
  '/settings/services': { area: 'settings', level: 'view', page: settingsFrame(servicesPage) },
  '/settings/availability': { area: 'settings', level: 'view', page: settingsFrame(availabilityPage) },
};

export function pageFor(path, context) {
  const { permissions } = context.session;
  if (path === '/assistant') {
    history.replaceState(null, '', '/assistant/knowledge');
    return pageFor('/assistant/knowledge', context);
  }
  if (path === '/settings') {
    const first = visibleSettings(permissions)[0];
    if (first) { history.replaceState(null, '', first.path); return pageFor(first.path, context); }
  }
  // A conversation's own address, /chats/<id>, is the Chats page with that thread open.
  // A customer's appointment history, /appointments/contact/<id>, is the Appointments page too.
  const route = ROUTES[path.startsWith('/chats/') ? '/chats' : path.startsWith('/appointments/contact/') ? '/appointments' : path];
  if (!route) return message(t('page.not_found_title'), t('page.not_found'));
  if (!can(permissions, route.area, route.level || 'view')) return message(t('page.forbidden_title'), t('page.forbidden'));
  return route.page(context, path);
}

function message(title, text) {
  return {
    title,
    node: h('section', { class: 'page' }, h('h1', {}, title), h('div', { class: 'empty-state' }, h('p', {}, text),
      h('a', { class: 'button', href: '/' }, t('page.go_home')))),
  };
}

// What the signed-in person may open, from GET /api/v1/session's `permissions` (api-v1.md).
// Hiding is for clarity only; the server refuses the API calls anyway.

/** Main navigation, in seed 003 §6.1 order. `area` is the permissions key that gates it. */
export const NAV = [
  { path: '/', key: 'nav.home', icon: 'home', area: 'dashboard' },
  { path: '/chats', key: 'nav.chats', icon: 'chat', area: 'chats' },
  { path: '/appointments', key: 'nav.appointments', icon: 'calendar', area: 'chats' },
  { path: '/assistant', key: 'nav.assistant', icon: 'spark', area: 'assistant' },
  { path: '/campaigns', key: 'nav.campaigns', icon: 'megaphone', area: 'campaigns' },
  { path: '/reports', key: 'nav.reports', icon: 'chart', area: 'dashboard' },
  { path: '/settings', key: 'nav.settings', icon: 'gear', area: 'settings' },
];

/** Settings sub-pages; tokens and audit are Admin-only in the API (settings: full). Channels
 *  and templates are readable with settings: view (Managers), changed by Admins. */
export const SETTINGS = [
  { path: '/settings/staff', key: 'settings.staff', level: 'view' },
  { path: '/settings/tokens', key: 'settings.tokens', level: 'full' },
  { path: '/settings/channels', key: 'settings.channels', level: 'view' },
  { path: '/settings/templates', key: 'settings.templates', level: 'view' },
  { path: '/settings/audit', key: 'settings.audit', level: 'full' },
  // Appointments' services and hours: changed by Admins and Managers (dashboard: full).
  { path: '/settings/services', key: 'settings.services', level: 'view' },
  { path: '/settings/availability', key: 'settings.availability', level: 'view' },
];

/** Whether `permissions` grant at least `level` ('view' or 'full') on `area`. */
export function can(permissions, area, level = 'view') {
  const granted = (permissions && permissions[area]) || 'none';
  if (level === 'full') return granted === 'full';
  return granted !== 'none';
}

export function visibleNav(permissions) {
  return NAV.filter((item) => can(permissions, item.area));
}

export function visibleSettings(permissions) {
  return SETTINGS.filter((item) => can(permissions, 'settings', item.level));
}

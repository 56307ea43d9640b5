// Home: a greeting, the live-connection indicator, and shortcuts to what this role may use.

import { visibleNav } from '../access.js';
import { h, icon, replace } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { live } from '../live.js';

export function homePage(context) {
  const { staff, permissions } = context.session;
  const indicator = h('p', { class: 'live-indicator', role: 'status', 'aria-live': 'polite' });
  const lastEvent = h('p', { class: 'muted live-last' });
  const unsubscribe = live.subscribe((state, event) => {
    indicator.dataset.state = state;
    replace(indicator, h('span', { class: 'dot', 'aria-hidden': 'true' }), t(`live.${state}`));
    if (event) lastEvent.textContent = t('live.last_event', { type: event.type, time: formatDate(new Date()) });
  });
  const shortcuts = visibleNav(permissions).filter((item) => item.path !== '/');
  return {
    title: t('nav.home'),
    cleanup: unsubscribe,
    node: h('section', { class: 'page' },
      h('h1', {}, t('home.greeting', { name: staff.name })),
      h('div', { class: 'cards' },
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

// Pages whose features arrive in later issues: an honest empty state, nothing pretend.

import { h, icon } from '../dom.js';
import { t } from '../i18n.js';

const ICONS = { chats: 'chat', assistant: 'spark', campaigns: 'megaphone', reports: 'chart' };

export function laterPage(name) {
  return () => ({
    title: t(`nav.${name}`),
    node: h('section', { class: 'page' },
      h('h1', {}, t(`nav.${name}`)),
      h('div', { class: 'empty-state' },
        icon(ICONS[name]),
        h('p', { class: 'empty-title' }, t(`later.${name}`)),
        h('p', { class: 'muted' }, t('later.note')))),
  });
}

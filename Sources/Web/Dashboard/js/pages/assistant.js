// Assistant: a heading, its sub-page tabs, then the sub-page (Knowledge, Settings).

import { h } from '../dom.js';
import { t } from '../i18n.js';

const TABS = [
  { path: '/assistant/knowledge', key: 'assistant.knowledge' },
  { path: '/assistant/settings', key: 'assistant.settings' },
];

export function assistantFrame(page) {
  return (context, path) => {
    const inner = page(context);
    return {
      title: `${inner.title} · ${t('nav.assistant')}`,
      cleanup: inner.cleanup,
      node: h('section', { class: 'page' },
        h('h1', {}, t('nav.assistant')),
        h('nav', { class: 'tabs', 'aria-label': t('assistant.sections') },
          h('ul', {}, TABS.map((tab) => h('li', {},
            h('a', { href: tab.path, 'aria-current': tab.path === path ? 'page' : null }, t(tab.key)))))),
        inner.node),
    };
  };
}

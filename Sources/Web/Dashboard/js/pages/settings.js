// Settings: a heading, the sub-page tabs this role may open, then the sub-page.

import { visibleSettings } from '../access.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function settingsFrame(page) {
  return (context, path) => {
    const inner = page(context);
    const tabs = visibleSettings(context.session.permissions);
    return {
      title: `${inner.title} · ${t('nav.settings')}`,
      cleanup: inner.cleanup,
      node: h('section', { class: 'page' },
        h('h1', {}, t('nav.settings')),
        h('nav', { class: 'tabs', 'aria-label': t('settings.sections') },
          h('ul', {}, tabs.map((tab) => h('li', {},
            h('a', { href: tab.path, 'aria-current': tab.path === path ? 'page' : null }, t(tab.key)))))),
        inner.node),
    };
  };
}

/**
 * A list fed by a cursor-paged endpoint: shows rows, a "Load more" button while the server has
 * more, and errors in a live region. `renderRow(item)` returns a node.
 */
export function pagedList({ load, container, renderRow, emptyText, message }) {
  let cursor = null;
  let generation = 0;   // a newer reload makes older answers stale (live events may reload too)
  const more = h('button', { type: 'button', class: 'button', hidden: true, onclick: () => next(false) }, t('common.load_more'));
  const empty = h('p', { class: 'muted', hidden: true }, emptyText);
  async function next(reset) {
    if (reset) { generation += 1; cursor = null; container.replaceChildren(); }
    const mine = generation;
    more.disabled = true;
    try {
      const page = await load(cursor);
      if (mine !== generation) return;
      for (const item of page.items) container.append(renderRow(item));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      empty.hidden = container.children.length > 0;
    } catch (error) {
      message.error(error.display);
    } finally {
      more.disabled = false;
    }
  }
  return { more, empty, reload: () => next(true) };
}

/** A table cell labelled for the stacked mobile layout; content kept in one box so it flows. */
export function cell(label, ...content) {
  return h('td', { 'data-label': label }, h('div', { class: 'cell' }, ...content));
}

// Settings → Audit log (Admin): newest first, "Load more" follows the server's cursor.

import { api } from '../api.js';
import { h } from '../dom.js';
import { messageArea } from '../forms.js';
import { formatDate, has, t } from '../i18n.js';
import { cell, pagedList } from './settings.js';

export function auditPage() {
  const message = messageArea();
  const body = h('tbody');
  const list = pagedList({
    load: api.listAudit, container: body, message, emptyText: t('audit.empty'),
    renderRow: (entry) => {
      const actionKey = `audit.action.${entry.action}`;
      return h('tr', {},
        cell(t('audit.when'), formatDate(entry.at)),
        cell(t('audit.actor'), entry.actor ? entry.actor.name : t('audit.system')),
        cell(t('audit.action'), has(actionKey) ? t(actionKey) : entry.action),
        cell(t('audit.object'), entry.object || '—'),
        cell(t('audit.ip'), entry.ip || '—'));
    },
  });
  const headers = [t('audit.when'), t('audit.actor'), t('audit.action'), t('audit.object'), t('audit.ip')];
  list.reload();
  return {
    title: t('settings.audit'),
    node: h('div', { class: 'settings-page' },
      h('h2', {}, t('settings.audit')),
      message.el,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table responsive-table' },
        h('caption', { class: 'visually-hidden' }, t('settings.audit')),
        h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))), body)),
      list.empty, list.more),
  };
}

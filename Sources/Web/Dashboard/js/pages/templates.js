// Settings → Templates: the WhatsApp message templates as last synced from Meta, with their
// review status, a filter by status and a preview of each. Templates are written and submitted
// in Meta's WhatsApp Manager; "Sync from Meta" (campaigns: full) reads them again.

import { can } from '../access.js';
import { api } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { messageArea } from '../forms.js';
import { formatDate, has, t } from '../i18n.js';
import { cell } from './settings.js';

/** Meta's review statuses, in the order the filter offers them (others are added as found). */
const STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'];

export function templatesPage(context) {
  const canSync = can(context.session.permissions, 'campaigns', 'full');
  const message = messageArea();
  const body = h('tbody');
  const empty = h('p', { class: 'muted', hidden: true }, t('templates.empty'));
  const noMatch = h('p', { class: 'muted', hidden: true }, t('templates.no_match'));
  const filterId = uid('template-status');
  const filter = h('select', { id: filterId, onchange: () => render() });
  const count = h('p', { class: 'muted templates-count', 'aria-live': 'polite' });
  let templates = [];
  let channelNames = new Map();

  function statusLabel(status) {
    const key = `templates.status.${status.toLowerCase()}`;
    return has(key) ? t(key) : status;
  }

  function fillFilter() {
    const chosen = filter.value || '';
    const found = [...new Set(templates.map((tpl) => tpl.status).filter(Boolean))];
    const options = [...STATUSES, ...found.filter((s) => !STATUSES.includes(s)).sort()];
    replace(filter, h('option', { value: '' }, t('templates.filter_all')),
      options.map((status) => h('option', { value: status, selected: status === chosen },
        `${statusLabel(status)} (${templates.filter((tpl) => tpl.status === status).length})`)));
  }

  function render() {
    const chosen = filter.value;
    const shown = templates.filter((tpl) => !chosen || tpl.status === chosen);
    body.replaceChildren(...shown.flatMap(rows));
    empty.hidden = templates.length > 0;
    noMatch.hidden = templates.length === 0 || shown.length > 0;
    count.textContent = templates.length ? t('templates.count', { shown: shown.length, total: templates.length }) : '';
  }

  function rows(template) {
    const previewId = `template-preview-${template.id}`;
    const preview = h('tr', { class: 'template-preview-row', id: previewId, hidden: true },
      h('td', { colspan: '6' }, templatePreview(template)));
    const toggle = h('button', {
      type: 'button', class: 'button button-small', 'aria-expanded': 'false', 'aria-controls': previewId,
      onclick: () => {
        preview.hidden = !preview.hidden;
        toggle.setAttribute('aria-expanded', String(!preview.hidden));
      },
    }, t('templates.preview'), h('span', { class: 'visually-hidden' }, ` ${template.name} (${template.language})`));
    const status = String(template.status || '');
    return [
      h('tr', { 'data-name': template.name, 'data-status': status },
        cell(t('templates.name'), h('span', { class: 'template-name' }, template.name)),
        cell(t('templates.language'), template.language),
        cell(t('templates.category'), categoryLabel(template.category)),
        cell(t('templates.status'),
          h('span', { class: `badge template-status status-${status.toLowerCase() || 'unknown'}` }, status ? statusLabel(status) : '—'),
          template.status_reason ? h('span', { class: 'template-reason' }, reasonLabel(template.status_reason)) : null),
        cell(t('templates.channel'), channelNames.get(template.channel_id) || '—'),
        cell(t('templates.actions'), toggle)),
      preview,
    ];
  }

  function show(items) {
    templates = [...items].sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
    fillFilter();
    render();
  }

  async function load() {
    try {
      const [list, channels] = await Promise.all([api.listTemplates(), api.listChannels().catch(() => ({ items: [] }))]);
      channelNames = new Map(channels.items.map((channel) => [channel.id, channel.name]));
      show(list.items);
    } catch (error) {
      message.error(error.display);
    }
  }

  const syncButton = canSync ? h('button', {
    type: 'button', class: 'button button-primary',
    onclick: async () => {
      message.clear();
      syncButton.disabled = true;
      syncButton.setAttribute('aria-busy', 'true');
      try {
        const result = await api.syncTemplates();
        show(result.items);
        if (result.failures && result.failures.length) {
          message.error(t('templates.sync_partial', { count: result.items.length, failures: result.failures.join(' ') }));
        } else {
          message.success(t('templates.synced', { count: result.items.length }));
        }
      } catch (error) {
        message.error(t('templates.sync_failed', { message: error.display }));
      } finally {
        syncButton.disabled = false;
        syncButton.removeAttribute('aria-busy');
      }
    },
  }, t('templates.sync')) : null;

  const headers = [t('templates.name'), t('templates.language'), t('templates.category'), t('templates.status'),
    t('templates.channel'), t('templates.actions')];
  fillFilter();
  load();
  return {
    title: t('settings.templates'),
    node: h('div', { class: 'settings-page templates-page' },
      h('h2', {}, t('settings.templates')),
      h('p', { class: 'muted' }, t('templates.intro')),
      h('div', { class: 'templates-toolbar' },
        h('div', { class: 'field' }, h('label', { for: filterId }, t('templates.filter')), filter),
        syncButton),
      message.el,
      count,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table responsive-table templates-table' },
        h('caption', { class: 'visually-hidden' }, t('settings.templates')),
        h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))), body)),
      empty, noMatch),
  };
}

function categoryLabel(category) {
  const key = `templates.category.${String(category || '').toLowerCase()}`;
  return category && has(key) ? t(key) : (category || '—');
}

function reasonLabel(reason) {
  const key = `templates.reason.${String(reason).toLowerCase()}`;
  return t('templates.reason', { reason: has(key) ? t(key) : reason });
}

/** The template as the customer will see it: header, body, footer and buttons, with the
 *  placeholders ({{1}}, {{name}}) marked so staff see what gets filled in. */
export function templatePreview(template) {
  const components = Array.isArray(template.components) ? template.components : [];
  const byType = (type) => components.find((c) => c && String(c.type || '').toUpperCase() === type);
  const header = byType('HEADER');
  const bodyPart = byType('BODY');
  const footer = byType('FOOTER');
  const buttons = byType('BUTTONS');
  const parts = [];
  if (header) {
    const format = String(header.format || 'TEXT').toUpperCase();
    parts.push(format === 'TEXT'
      ? h('p', { class: 'tpl-header' }, marked(header.text || ''))
      : h('p', { class: 'tpl-header tpl-media' }, t(has(`templates.media.${format.toLowerCase()}`) ? `templates.media.${format.toLowerCase()}` : 'templates.media.other')));
  }
  parts.push(h('p', { class: 'tpl-body' }, bodyPart && bodyPart.text ? marked(bodyPart.text) : h('span', { class: 'muted' }, t('templates.no_body'))));
  if (footer && footer.text) parts.push(h('p', { class: 'tpl-footer' }, marked(footer.text)));
  if (buttons && Array.isArray(buttons.buttons) && buttons.buttons.length) {
    parts.push(h('ul', { class: 'tpl-buttons', 'aria-label': t('templates.buttons') },
      buttons.buttons.map((button) => h('li', {},
        h('span', { class: 'tpl-button' }, marked(button.text || '')),
        buttonTarget(button)))));
  }
  return h('div', { class: 'tpl-preview' },
    h('p', { class: 'tpl-meta muted' }, t('templates.preview_of', { name: template.name, language: template.language }),
      ' · ', t('templates.parameters', { count: template.parameters || 0 }),
      template.updated_at ? [' · ', t('templates.updated', { time: formatDate(template.updated_at) })] : null),
    h('div', { class: 'tpl-bubble' }, parts));
}

function buttonTarget(button) {
  const type = String(button.type || '').toUpperCase();
  if (type === 'URL' && button.url) return h('span', { class: 'tpl-button-target' }, marked(button.url));
  if (type === 'PHONE_NUMBER' && button.phone_number) return h('span', { class: 'tpl-button-target' }, button.phone_number);
  return null;
}

/** Text with each {{…}} placeholder wrapped in <mark>; text nodes only, never markup. */
function marked(text) {
  const out = [];
  let last = 0;
  for (const match of String(text).matchAll(/\{\{\s*[\w.]+\s*\}\}/g)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push(h('mark', { class: 'placeholder' }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

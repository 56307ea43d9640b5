// Settings → Templates: the WhatsApp message templates of every number, with their review
// status, a filter by status and a preview of each. With campaigns: full (Admins, Managers) they
// are also written here and submitted to Meta for review, edited, deleted and synced from Meta.

import { can } from '../access.js';
import { api } from '../api.js';
import { confirmDialog, openDialog } from '../dialogs.js';
import { h, replace, uid } from '../dom.js';
import { messageArea } from '../forms.js';
import { formatDate, has, t } from '../i18n.js';
import { live } from '../live.js';
import { cell } from './settings.js';
import { templateBubble } from './template-bubble.js';
import { EDITABLE, templateForm } from './template-form.js';

/** Meta's review statuses, in the order the filter offers them (others are added as found). */
const STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'];

export function templatesPage(context) {
  const canManage = can(context.session.permissions, 'campaigns', 'full');
  const message = messageArea();
  const body = h('tbody');
  const empty = h('p', { class: 'muted', hidden: true }, t('templates.empty'));
  const noMatch = h('p', { class: 'muted', hidden: true }, t('templates.no_match'));
  const filterId = uid('template-status');
  const filter = h('select', { id: filterId, onchange: () => render() });
  const count = h('p', { class: 'muted templates-count', 'aria-live': 'polite' });
  let templates = [];
  let channels = [];
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
    const named = () => h('span', { class: 'visually-hidden' }, ` ${template.name} (${template.language})`);
    const toggle = h('button', {
      type: 'button', class: 'button button-small', 'aria-expanded': 'false', 'aria-controls': previewId,
      onclick: () => {
        preview.hidden = !preview.hidden;
        toggle.setAttribute('aria-expanded', String(!preview.hidden));
      },
    }, t('templates.preview'), named());
    const status = String(template.status || '');
    const editable = canManage && EDITABLE.includes(status);
    const actions = h('div', { class: 'row-actions' }, toggle,
      editable ? h('button', { type: 'button', class: 'button button-small', 'data-action': 'edit', onclick: () => openForm(template) },
        t('templates.edit'), named()) : null,
      canManage ? h('button', { type: 'button', class: 'button button-small button-danger', 'data-action': 'delete', onclick: () => remove(template) },
        t('templates.delete'), named()) : null);
    return [
      h('tr', { 'data-name': template.name, 'data-status': status, 'data-id': template.id },
        cell(t('templates.name'), h('span', { class: 'template-name' }, template.name)),
        cell(t('templates.language'), template.language),
        cell(t('templates.category'), categoryLabel(template.category)),
        cell(t('templates.status'),
          h('span', { class: `badge template-status status-${status.toLowerCase() || 'unknown'}` }, status ? statusLabel(status) : '—'),
          statusNote(template, editable)),
        cell(t('templates.channel'), channelNames.get(template.channel_id) || '—'),
        cell(t('templates.actions'), actions)),
      preview,
    ];
  }

  /** Under the badge: why Meta rejected it (with the way to fix it), or how long a review takes. */
  function statusNote(template, editable) {
    if (template.status === 'REJECTED') {
      return h('div', { class: 'template-rejected' },
        h('p', { class: 'template-reason' }, template.status_reason ? reasonLabel(template.status_reason) : t('templates.rejected_no_reason')),
        editable ? h('button', { type: 'button', class: 'link-button', 'data-action': 'fix', onclick: () => openForm(template) },
          t('templates.rejected_fix')) : null);
    }
    if (template.status_reason) return h('span', { class: 'template-reason' }, reasonLabel(template.status_reason));
    if (template.status === 'PENDING') return h('span', { class: 'template-review-note' }, t('templates.pending_note'));
    return null;
  }

  /** Puts a created or edited template in the list (or drops it, when `gone`). */
  function upsert(template, gone = false) {
    const others = templates.filter((tpl) => tpl.id !== template.id);
    show(gone ? others : [...others, template]);
  }

  function openForm(template = null) {
    message.clear();
    if (!template && channels.length === 0) { message.error(t('templates.no_channel')); return; }
    const editing = template !== null;
    openDialog(editing ? t('templates.edit_title', { name: template.name, language: template.language }) : t('templates.new_title'), (close) => [
      templateForm({
        template,
        channels,
        onCancel: close,
        onSaved: (saved) => {
          close();
          upsert(saved);
          if (filter.value && filter.value !== saved.status) filter.value = '';
          render();
          message.success(t(editing ? 'templates.edited' : 'templates.created', { name: saved.name }));
        },
      }),
    ]);
  }

  async function remove(template) {
    const onceApproved = ['APPROVED', 'PAUSED', 'DISABLED'].includes(template.status);
    const title = t('templates.delete_title', { name: template.name, language: template.language });
    if (!(await confirmDialog(title, t(onceApproved ? 'templates.delete_warning_approved' : 'templates.delete_warning'), t('templates.delete')))) return;
    message.clear();
    try {
      await api.deleteTemplate(template.id);
      upsert(template, true);
      message.success(t('templates.deleted', { name: template.name, language: template.language }));
    } catch (error) {
      message.error(error.display);
    }
  }

  function show(items) {
    templates = [...items].sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
    fillFilter();
    render();
  }

  async function load() {
    try {
      const [list, numbers] = await Promise.all([api.listTemplates(), api.listChannels().catch(() => ({ items: [] }))]);
      channels = numbers.items;
      channelNames = new Map(channels.map((channel) => [channel.id, channel.name]));
      show(list.items);
    } catch (error) {
      message.error(error.display);
    }
  }

  const newButton = canManage ? h('button', { type: 'button', class: 'button button-primary', onclick: () => openForm() },
    t('templates.new')) : null;
  const syncButton = canManage ? h('button', {
    type: 'button', class: 'button',
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
  // Meta's review moving a template (the status webhook), or another tab changing one.
  const unsubscribe = live.subscribe((state, event) => {
    if (!event || !event.data || typeof event.data.id !== 'string') return;
    if (event.type === 'template.updated') upsert(event.data);
    else if (event.type === 'template.deleted') upsert(event.data, true);
  });

  fillFilter();
  load();
  return {
    title: t('settings.templates'),
    cleanup: unsubscribe,
    node: h('div', { class: 'settings-page templates-page' },
      h('h2', {}, t('settings.templates')),
      h('p', { class: 'muted' }, t('templates.intro')),
      h('div', { class: 'templates-toolbar' },
        h('div', { class: 'field' }, h('label', { for: filterId }, t('templates.filter')), filter),
        canManage ? h('div', { class: 'templates-toolbar-actions' }, newButton, syncButton) : null),
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

/** The template as the customer will see it, with the placeholders ({{1}}, {{name}}) marked
 *  so staff see what gets filled in. */
export function templatePreview(template) {
  return h('div', { class: 'tpl-preview' },
    h('p', { class: 'tpl-meta muted' }, t('templates.preview_of', { name: template.name, language: template.language }),
      ' · ', t('templates.parameters', { count: template.parameters || 0 }),
      template.updated_at ? [' · ', t('templates.updated', { time: formatDate(template.updated_at) })] : null),
    templateBubble(template.components));
}

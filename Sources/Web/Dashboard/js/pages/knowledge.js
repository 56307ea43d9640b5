// Assistant → Knowledge: what the assistant answers from. Everyone who sees the Assistant lists
// FAQ entries and documents and tries questions; Admins and Managers add, edit, upload and delete.

import { can } from '../access.js';
import { api } from '../api.js';
import { confirmDialog } from '../dialogs.js';
import { h, replace } from '../dom.js';
import { messageArea } from '../forms.js';
import { t } from '../i18n.js';
import { live } from '../live.js';
import { documentForm, editDocumentDialog, editFaqDialog, faqForm, uploadForm } from './knowledge-forms.js';
import { tryQuestion } from './knowledge-try.js';
import { cell, pagedList } from './settings.js';

export function knowledgePage(context) {
  const editor = can(context.session.permissions, 'assistant', 'full');
  const message = messageArea();
  const status = h('p', { class: 'muted kb-status', role: 'status' });

  const faqBody = h('tbody');
  const faqs = pagedList({ load: api.listFaqs, container: faqBody, message, emptyText: t('knowledge.faqs_empty'), renderRow: faqRow });
  const docBody = h('tbody');
  const documents = pagedList({ load: api.listDocuments, container: docBody, message, emptyText: t('knowledge.documents_empty'), renderRow: documentRow });

  function reload() { faqs.reload(); documents.reload(); loadStatus(); }

  async function loadStatus() {
    try {
      const s = await api.knowledgeStatus();
      replace(status, t('knowledge.status', { faqs: s.faqs, documents: s.documents, passages: s.passages }),
        s.reindexing ? h('span', { class: 'badge badge-off kb-reindexing' }, t('knowledge.reindexing')) : null);
    } catch (error) {
      message.error(error.display);
    }
  }

  function remove(label, action) {
    return async () => {
      if (!(await confirmDialog(t('knowledge.delete_title', { name: label }), t('knowledge.delete_warning'), t('knowledge.delete')))) return;
      message.clear();
      try { await action(); message.success(t('knowledge.deleted', { name: label })); reload(); } catch (error) { message.error(error.display); }
    };
  }

  function actions(label, edit, del) {
    if (!editor) return null;
    return h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'button button-small', onclick: edit }, t('knowledge.edit'), h('span', { class: 'visually-hidden' }, ` ${label}`)),
      h('button', { type: 'button', class: 'button button-small button-danger', onclick: del }, t('knowledge.delete'), h('span', { class: 'visually-hidden' }, ` ${label}`)));
  }

  function faqRow(entry) {
    return h('tr', { 'data-id': entry.id },
      cell(t('knowledge.question'), entry.question),
      cell(t('knowledge.answer'), h('span', { class: 'kb-clip' }, entry.answer)),
      cell(t('knowledge.section'), entry.section || '—'),
      cell(t('knowledge.language'), t(`knowledge.lang_${entry.language}`)),
      editor ? cell(t('knowledge.actions'), actions(entry.question, () => editFaqDialog(entry, reload), remove(entry.question, () => api.deleteFaq(entry.id)))) : null);
  }

  function documentRow(document) {
    return h('tr', { 'data-id': document.id },
      cell(t('knowledge.title'), document.title),
      cell(t('knowledge.format'), t(`knowledge.format_${document.format}`)),
      cell(t('knowledge.section'), document.section || '—'),
      cell(t('knowledge.language'), t(`knowledge.lang_${document.language}`)),
      cell(t('knowledge.size'), t('knowledge.characters', { count: document.text.length })),
      editor ? cell(t('knowledge.actions'), actions(document.title, () => editDocumentDialog(document, reload), remove(document.title, () => api.deleteDocument(document.id)))) : null);
  }

  function table(caption, headers, body) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'table responsive-table' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))), body));
  }

  const adders = editor ? [
    adder('kb-add-faq', t('knowledge.add_faq'), faqForm({ save: api.createFaq, done: () => { message.success(t('knowledge.faq_added')); reload(); }, submitLabel: t('knowledge.add_faq_submit') })),
    adder('kb-add-document', t('knowledge.add_document'), documentForm({ save: api.createDocument, done: () => { message.success(t('knowledge.document_added')); reload(); }, submitLabel: t('knowledge.add_document_submit') })),
    adder('kb-upload', t('knowledge.upload'), uploadForm(() => reload())),
  ] : [];

  const faqHeaders = [t('knowledge.question'), t('knowledge.answer'), t('knowledge.section'), t('knowledge.language')];
  const docHeaders = [t('knowledge.title'), t('knowledge.format'), t('knowledge.section'), t('knowledge.language'), t('knowledge.size')];
  if (editor) { faqHeaders.push(t('knowledge.actions')); docHeaders.push(t('knowledge.actions')); }

  // Another tab, the API or a finished re-index changed the knowledge: show it as it is now.
  const unsubscribe = live.subscribe((state, event) => { if (event && event.type === 'knowledge.changed') reload(); });
  reload();
  return {
    title: t('assistant.knowledge'),
    cleanup: unsubscribe,
    node: h('div', { class: 'settings-page knowledge-page' },
      h('h2', {}, t('assistant.knowledge')),
      h('p', { class: 'muted' }, t('knowledge.intro')),
      status,
      tryQuestion(),
      adders,
      message.el,
      h('h3', { class: 'kb-list-title' }, t('knowledge.faqs')),
      table(t('knowledge.faqs'), faqHeaders, faqBody), faqs.empty, faqs.more,
      h('h3', { class: 'kb-list-title' }, t('knowledge.documents')),
      table(t('knowledge.documents'), docHeaders, docBody), documents.empty, documents.more),
  };
}

function adder(id, label, form) {
  return h('details', { class: 'card add-card', id }, h('summary', {}, label), form);
}

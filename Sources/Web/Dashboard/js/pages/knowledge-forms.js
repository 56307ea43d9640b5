// The FAQ and document forms (add, and edit in a dialog) and the file upload with its progress
// bar (XMLHttpRequest: fetch reports no upload progress).

import { api, apiErrorFrom, knowledgeImportPath } from '../api.js';
import { openDialog } from '../dialogs.js';
import { h, uid } from '../dom.js';
import { busy, field, messageArea, showError, submit } from '../forms.js';
import { t } from '../i18n.js';

export function languageOptions() {
  return ['pt', 'es', 'en'].map((code) => [code, t(`knowledge.lang_${code}`)]);
}

/** The FAQ form; `entry` fills it for an edit. `save(body)` sends it; `done()` after success. */
export function faqForm({ entry = null, save, done, submitLabel }) {
  const question = field({ label: t('knowledge.question'), name: 'question', autocomplete: 'off', value: entry?.question });
  const answer = field({ label: t('knowledge.answer'), name: 'answer', type: 'textarea', rows: 4, value: entry?.answer });
  const section = field({ label: t('knowledge.section'), name: 'section', required: false, autocomplete: 'off', value: entry?.section, hint: t('knowledge.section_hint') });
  const language = field({ label: t('knowledge.language'), name: 'language', options: languageOptions(), value: entry?.language || 'pt' });
  const message = messageArea();
  const form = h('form', { class: 'form kb-form', novalidate: true }, message.el, question.wrap, answer.wrap,
    h('div', { class: 'form-grid' }, section.wrap, language.wrap), h('div', { class: 'actions' }, submit(submitLabel)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    for (const f of [question, answer]) if (!f.input.value.trim()) { f.setError(t('errors.required')); f.input.focus(); return; }
    await busy(form, async () => {
      try {
        await save({ question: question.input.value, answer: answer.input.value, section: section.input.value || null, language: language.input.value });
        if (!entry) form.reset();
        done();
      } catch (error) {
        showError(error, message, { question, answer, section, language });
      }
    });
  });
  return form;
}

/** The document form (paste text, Markdown or HTML); `document` fills it for an edit. */
export function documentForm({ document = null, save, done, submitLabel }) {
  const title = field({ label: t('knowledge.title'), name: 'title', autocomplete: 'off', value: document?.title });
  const text = field({ label: t('knowledge.text'), name: 'text', type: 'textarea', rows: 8, value: document?.text, hint: t('knowledge.text_hint') });
  const format = field({ label: t('knowledge.format'), name: 'format', value: document?.format || 'text',
    options: ['text', 'markdown', 'html'].map((f) => [f, t(`knowledge.format_${f}`)]) });
  const section = field({ label: t('knowledge.section'), name: 'section', required: false, autocomplete: 'off', value: document?.section });
  const language = field({ label: t('knowledge.language'), name: 'language', options: languageOptions(), value: document?.language || 'pt' });
  const message = messageArea();
  const form = h('form', { class: 'form kb-form', novalidate: true }, message.el, title.wrap, text.wrap,
    h('div', { class: 'form-grid' }, format.wrap, section.wrap, language.wrap), h('div', { class: 'actions' }, submit(submitLabel)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    for (const f of [title, text]) if (!f.input.value.trim()) { f.setError(t('errors.required')); f.input.focus(); return; }
    await busy(form, async () => {
      try {
        await save({ title: title.input.value, text: text.input.value, format: format.input.value,
          section: section.input.value || null, language: language.input.value });
        if (!document) form.reset();
        done();
      } catch (error) {
        showError(error, message, { title, text, format, section, language });
      }
    });
  });
  return form;
}

export function editFaqDialog(entry, done) {
  openDialog(t('knowledge.edit_faq'), (close) => [faqForm({
    entry, submitLabel: t('knowledge.save'),
    save: (body) => api.updateFaq(entry.id, body), done: () => { close(); done(); },
  })]);
}

export function editDocumentDialog(document, done) {
  openDialog(t('knowledge.edit_document'), (close) => [documentForm({
    document, submitLabel: t('knowledge.save'),
    save: (body) => api.updateDocument(document.id, body), done: () => { close(); done(); },
  })]);
}

/** Upload a file to import, with a progress bar. `done(result)` after the server stored it. */
export function uploadForm(done) {
  const fileId = uid('kb-file');
  const input = h('input', { id: fileId, name: 'file', type: 'file', accept: '.txt,.md,.markdown,.html,.htm,.csv,.jsonl,.ndjson,text/*' });
  const fileError = h('p', { class: 'field-error', hidden: true });
  const format = field({ label: t('knowledge.format'), name: 'format', value: 'auto',
    options: ['auto', 'text', 'markdown', 'html', 'csv', 'jsonl'].map((f) => [f, t(`knowledge.format_${f}`)]) });
  const section = field({ label: t('knowledge.section'), name: 'section', required: false, autocomplete: 'off' });
  const language = field({ label: t('knowledge.language'), name: 'language', options: languageOptions(), value: 'pt' });
  const progress = h('progress', { class: 'kb-progress', max: '100', value: '0', hidden: true, 'aria-label': t('knowledge.upload_progress') });
  const percent = h('span', { class: 'muted kb-percent', role: 'status' });
  const message = messageArea();
  const form = h('form', { class: 'form kb-form', novalidate: true }, message.el,
    h('div', { class: 'field' }, h('label', { for: fileId }, t('knowledge.file')), h('p', { class: 'field-hint' }, t('knowledge.file_hint')), input, fileError),
    h('div', { class: 'form-grid' }, format.wrap, section.wrap, language.wrap),
    h('div', { class: 'kb-progress-row' }, progress, percent),
    h('div', { class: 'actions' }, submit(t('knowledge.upload_submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    fileError.hidden = true;
    const file = input.files[0];
    if (!file) { fileError.textContent = t('knowledge.file_required'); fileError.hidden = false; input.focus(); return; }
    await busy(form, async () => {
      progress.hidden = false;
      try {
        const path = knowledgeImportPath({ filename: file.name, format: format.input.value, language: language.input.value, section: section.input.value });
        const result = await upload(path, file, (fraction) => {
          progress.value = Math.round(fraction * 100);
          percent.textContent = `${Math.round(fraction * 100)}%`;
        });
        form.reset();
        message.success(t('knowledge.imported', { faqs: result.faqs, documents: result.documents })
          + (result.replaced > 0 ? ' ' + t('knowledge.imported_replaced', { replaced: result.replaced }) : ''));
        done(result);
      } catch (error) {
        showError(error, message, { format, section, language });
      } finally {
        progress.hidden = true;
        progress.value = 0;
        percent.textContent = '';
      }
    });
  });
  return form;
}

function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-Atende-CSRF', '1');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.addEventListener('progress', (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) { onProgress(1); resolve(JSON.parse(xhr.responseText)); }
      else reject(apiErrorFrom(xhr.status, xhr.responseText));
    });
    xhr.addEventListener('error', () => reject(apiErrorFrom(0, '{"error":{"code":"network"}}')));
    xhr.send(file);
  });
}

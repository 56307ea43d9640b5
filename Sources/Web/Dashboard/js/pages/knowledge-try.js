// "Try a question": the passages the assistant would answer from, with their scores. The
// assistant's would-be reply, confidence and decision arrive later in the search answer's
// `decision` object; `decisionView` shows whatever it holds, in its own labelled slot.

import { api, request } from '../api.js';
import { h, replace } from '../dom.js';
import { busy, field, messageArea, showError, submit } from '../forms.js';
import { has, t } from '../i18n.js';
import { languageOptions } from './knowledge-forms.js';

export function tryQuestion() {
  const question = field({ label: t('knowledge.try_question'), name: 'query', autocomplete: 'off', hint: t('knowledge.try_hint') });
  const language = field({ label: t('knowledge.language'), name: 'language', options: languageOptions(), value: 'pt' });
  const message = messageArea();
  const results = h('div', { class: 'kb-results', 'aria-live': 'polite' });
  const form = h('form', { class: 'form kb-try-form', novalidate: true, role: 'search' },
    message.el, question.wrap, language.wrap, h('div', { class: 'actions' }, submit(t('knowledge.try_submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    const query = question.input.value.trim();
    if (!query) { question.setError(t('errors.required')); question.input.focus(); return; }
    await busy(form, async () => {
      try {
        const [found, tried] = await Promise.all([
          api.searchKnowledge({ query, language: language.input.value, k: 5 }),
          // The assistant's own answer; a failure here leaves the passages shown.
          request('POST', '/api/v1/assistant/try', { text: query, language: language.input.value }).catch(() => null),
        ]);
        const decision = tried ? tryDecision(tried) : found.decision;
        replace(results, decision ? decisionView(decision) : null, passagesView(found.passages));
      } catch (error) {
        showError(error, message, { query: question, language });
      }
    });
  });
  return h('section', { class: 'card kb-try', 'aria-labelledby': 'kb-try-heading' },
    h('h3', { id: 'kb-try-heading' }, t('knowledge.try_title')), form, results);
}

function passagesView(passages) {
  if (!passages.length) return h('p', { class: 'muted kb-none' }, t('knowledge.try_none'));
  return h('ol', { class: 'kb-passages' }, passages.map((p) => h('li', { class: 'kb-passage', 'data-source-id': p.source_id },
    h('div', { class: 'kb-passage-head' },
      h('span', { class: `badge ${p.kind === 'faq' ? 'badge-on' : 'badge-off'}` }, t(`knowledge.kind_${p.kind}`)),
      h('strong', {}, p.title)),
    h('p', { class: 'kb-passage-text' }, p.text),
    h('dl', { class: 'kb-scores' },
      score(t('knowledge.score'), p.score), score(t('knowledge.score_lexical'), p.lexical_score),
      score(t('knowledge.score_dense'), p.dense_score)))));
}

/** The fields of POST /assistant/try that staff read, in that order. */
function tryDecision(tried) {
  return {
    decision: has(`knowledge.decision_kind_${tried.decision}`) ? t(`knowledge.decision_kind_${tried.decision}`) : tried.decision,
    reply: tried.reply || tried.suggested_reply || null,
    confidence: typeof tried.confidence === 'number' ? `${Math.round(tried.confidence * 100)}%` : null,
    composer: tried.composer,
    reason: tried.handoff_reason ? (has(`chats.handoff.${tried.handoff_reason}`) ? t(`chats.handoff.${tried.handoff_reason}`) : tried.handoff_reason) : null,
  };
}

function score(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value === null || value === undefined ? '—' : value.toFixed(3)));
}

/** The assistant's decision for the question (reply, confidence, decision, …): each field of the
 *  object as a labelled line, known labels translated. */
function decisionView(decision) {
  const rows = Object.entries(decision).filter(([, value]) => value !== null && value !== undefined);
  return h('section', { class: 'kb-decision', 'data-slot': 'decision', 'aria-label': t('knowledge.decision_title') },
    h('h4', {}, t('knowledge.decision_title')),
    h('dl', {}, rows.map(([key, value]) => h('div', {},
      h('dt', {}, t(`knowledge.decision_${key}`) === `knowledge.decision_${key}` ? key : t(`knowledge.decision_${key}`)),
      h('dd', {}, typeof value === 'object' ? JSON.stringify(value) : String(value))))));
}

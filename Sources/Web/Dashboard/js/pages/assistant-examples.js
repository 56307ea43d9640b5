// Assistant → Settings → Example phrases: the business's own ways of asking, per intent, added to
// the built-in phrases the intent classifier learns from. One intent at a time (a select), its
// phrases one per line (a textarea); what was typed for the other intents is kept while switching.

import { h, uid } from '../dom.js';
import { has, t } from '../i18n.js';

// Every intent but `other` (what the assistant answers when it is not sure), in the API's names.
const INTENTS = ['greeting', 'pricing', 'hours', 'location', 'booking', 'reschedule_cancel', 'payment', 'order_status',
  'complaint', 'human_request', 'thanks_bye'];

/** Returns { wrap, value(), fieldFor(apiField) }: value() is the `intent_examples` object to PUT. */
export function examplesEditor(initial) {
  const phrases = new Map(INTENTS.map((intent) => [intent, [...((initial || {})[intent] || [])]]));
  const selectId = uid('examples-intent');
  const areaId = uid('examples-phrases');
  const errorId = `${areaId}-error`;
  const select = h('select', { id: selectId, name: 'examples_intent' },
    INTENTS.map((intent) => h('option', { value: intent })));
  const area = h('textarea', { id: areaId, name: 'examples_phrases', rows: 4, 'aria-describedby': errorId, spellcheck: 'true' });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  let shown = INTENTS[0];

  function lines() {
    return area.value.split('\n').map((line) => line.trim()).filter(Boolean);
  }

  function labelOptions() {
    for (const option of select.options) {
      const name = has(`chats.intent.${option.value}`) ? t(`chats.intent.${option.value}`) : option.value;
      const count = phrases.get(option.value).length;
      option.textContent = count ? t('assistant_settings.examples_intent_count', { intent: name, count }) : name;
    }
  }

  function show(intent) {
    shown = intent;
    select.value = intent;
    area.value = phrases.get(intent).join('\n');
  }

  function setError(message) {
    error.textContent = message || '';
    error.hidden = !message;
    if (message) area.setAttribute('aria-invalid', 'true'); else area.removeAttribute('aria-invalid');
  }

  area.addEventListener('input', () => { phrases.set(shown, lines()); labelOptions(); setError(''); });
  select.addEventListener('change', () => { show(select.value); setError(''); });
  labelOptions();
  show(INTENTS.find((intent) => phrases.get(intent).length) || INTENTS[0]);

  const wrap = h('fieldset', { class: 'intent-examples' },
    h('legend', {}, t('assistant_settings.examples')),
    h('p', { class: 'field-hint' }, t('assistant_settings.examples_hint')),
    h('div', { class: 'field' }, h('label', { for: selectId }, t('assistant_settings.examples_intent')), select),
    h('div', { class: 'field' }, h('label', { for: areaId }, t('assistant_settings.examples_phrases')), area, error));

  return {
    wrap,
    value() {
      const examples = {};
      for (const [intent, list] of phrases) if (list.length) examples[intent] = list;
      return examples;
    },
    /** The field an API error names: `intent_examples.booking` shows that intent's phrases. */
    fieldFor(name) {
      if (!name || !name.startsWith('intent_examples')) return null;
      const intent = name.split('.')[1];
      if (intent && phrases.has(intent)) show(intent);
      return { input: area, setError };
    },
  };
}

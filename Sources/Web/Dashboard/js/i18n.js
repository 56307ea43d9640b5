// Translations: every visible string comes from /assets/i18n/<lang>.json. The language is the
// stored choice, else the first of navigator.languages we support, else English.

export const LANGUAGES = ['en', 'pt-BR'];
const STORAGE_KEY = 'atende.lang';

let current = 'en';
let catalogue = {};
let fallback = {};
const listeners = new Set();

/** Picks the language from storage or the browser, without loading anything. */
export function preferredLanguage() {
  let stored = null;
  try { stored = localStorage.getItem(STORAGE_KEY); } catch { /* storage may be blocked */ }
  if (LANGUAGES.includes(stored)) return stored;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('pt')) return 'pt-BR';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

async function load(lang) {
  const response = await fetch(`/assets/i18n/${lang}.json`, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`catalogue ${lang}: HTTP ${response.status}`);
  return response.json();
}

/** Loads the catalogue for `lang` (and English as the fallback for missing keys). */
export async function setLanguage(lang, { remember = false } = {}) {
  if (!LANGUAGES.includes(lang)) lang = 'en';
  const [chosen, english] = await Promise.all([load(lang), lang === 'en' ? null : load('en')]);
  catalogue = chosen;
  fallback = english || chosen;
  current = lang;
  document.documentElement.lang = lang;
  document.title = t('app.title');
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* not remembered, still switched */ }
  }
  for (const listener of listeners) listener(lang);
}

export function language() { return current; }

/** Called after every language change (the app re-renders). */
export function onLanguageChange(listener) { listeners.add(listener); }

/** Whether `key` is in the catalogue (used to translate known server error codes). */
export function has(key) { return key in catalogue || key in fallback; }

/** The string for `key`, with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const template = catalogue[key] ?? fallback[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** A date-time in the current language, or an em dash for null. */
export function formatDate(value) {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

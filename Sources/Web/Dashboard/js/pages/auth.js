// Signed-out pages: first-run setup (creates the first Admin with the one-time token from the
// server log) and login (with the lockout notice on 429).

import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { busy, field, messageArea, passwordTooShort, showError, submit } from '../forms.js';
import { LANGUAGES, language, setLanguage, t } from '../i18n.js';

function frame(title, intro, ...content) {
  const languageId = 'auth-language';
  return h('main', { class: 'auth', id: 'main' },
    h('div', { class: 'card auth-card' },
      h('p', { class: 'brand auth-brand' }, icon('logo'), h('span', {}, t('app.name'))),
      h('h1', {}, title),
      intro ? h('p', { class: 'muted' }, intro) : null,
      ...content,
      h('div', { class: 'field auth-language' },
        h('label', { for: languageId }, t('profile.language')),
        h('select', { id: languageId, onchange: (e) => setLanguage(e.target.value, { remember: true }) },
          LANGUAGES.map((lang) => h('option', { value: lang, selected: lang === language() }, t(`language.${lang}`)))))));
}

export function loginPage(context) {
  const email = field({ label: t('login.email'), name: 'email', type: 'email', autocomplete: 'username' });
  const password = field({ label: t('login.password'), name: 'password', type: 'password', autocomplete: 'current-password' });
  const message = messageArea();
  const button = submit(t('login.submit'));
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': t('login.title') },
    message.el, email.wrap, password.wrap, h('div', { class: 'actions' }, button));
  const flash = context.takeFlash();
  if (flash) message.success(t(flash));
  let lockedUntil = 0;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    if (Date.now() < lockedUntil) return;
    if (!email.input.value.trim()) { email.setError(t('errors.required')); email.input.focus(); return; }
    if (!password.input.value) { password.setError(t('errors.required')); password.input.focus(); return; }
    await busy(form, async () => {
      try {
        const session = await api.login(email.input.value.trim(), password.input.value);
        context.signedIn(session);
      } catch (error) {
        password.input.value = '';
        showError(error, message, { email, password });
        if (error.code === 'too_many_attempts' && error.retryAfter) lockedUntil = Date.now() + error.retryAfter * 1000;
      }
    });
    if (Date.now() < lockedUntil) lockButton(button, lockedUntil);
  });
  return frame(t('login.title'), null, form);
}

/** Keeps the button disabled until the lockout ends, so nobody extends it by retrying. */
function lockButton(button, until) {
  button.disabled = true;
  const timer = setInterval(() => {
    if (!button.isConnected || Date.now() >= until) { clearInterval(timer); button.disabled = false; }
  }, 500);
}

export function setupPage(context) {
  const token = new URLSearchParams(location.search).get('token') || '';
  const tokenField = field({ label: t('setup.token'), name: 'token', autocomplete: 'off', value: token, hint: t('setup.token_hint') });
  const name = field({ label: t('setup.name'), name: 'name', autocomplete: 'name' });
  const email = field({ label: t('login.email'), name: 'email', type: 'email', autocomplete: 'username' });
  const password = field({ label: t('login.password'), name: 'password', type: 'password', autocomplete: 'new-password', hint: t('password.hint') });
  const confirm = field({ label: t('password.confirm'), name: 'confirm', type: 'password', autocomplete: 'new-password' });
  const message = messageArea();
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': t('setup.title') }, message.el,
    token ? null : tokenField.wrap, name.wrap, email.wrap, password.wrap, confirm.wrap,
    h('div', { class: 'actions' }, submit(t('setup.submit'))));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    const required = [[tokenField, token ? 'x' : tokenField.input.value.trim()], [name, name.input.value.trim()],
      [email, email.input.value.trim()], [password, password.input.value]];
    const missing = required.find(([, value]) => !value);
    if (missing) { missing[0].setError(t('errors.required')); missing[0].input.focus(); return; }
    if (passwordTooShort(password.input.value)) { password.setError(t('errors.weak_password')); password.input.focus(); return; }
    if (password.input.value !== confirm.input.value) { confirm.setError(t('password.mismatch')); confirm.input.focus(); return; }
    await busy(form, async () => {
      try {
        await api.setup({
          token: token || tokenField.input.value.trim(),
          name: name.input.value.trim(),
          email: email.input.value.trim(),
          password: password.input.value,
        });
        context.signedIn(await api.session());
      } catch (error) {
        if (error.code === 'already_set_up') { context.signedOut('setup.already_done'); return; }
        showError(error, message, { token: tokenField, name, email, password });
      }
    });
  });
  return frame(t('setup.title'), t('setup.intro'), form);
}

// Settings → Channels → "Connect with Facebook": Meta's Embedded Signup (v4). Meta's JavaScript
// SDK is loaded only on this page and only when the server is set up for it (the server's
// Content-Security-Policy allows connect.facebook.net only then). Facebook's pop-up returns a
// code that lives about 30 seconds, so it is posted to the server at once; the server does the
// rest (token, account, numbers, webhooks). A number new to the Cloud API then asks for its PIN.

import { api } from '../api.js';
import { h } from '../dom.js';
import { busy, field, messageArea, showError, submit } from '../forms.js';
import { t } from '../i18n.js';

const SDK_URL = 'https://connect.facebook.net/en_US/sdk.js';
/** How long to wait for the pop-up's FINISH message after the code came (it usually comes first). */
const SESSION_GRACE_MS = 1000;

let sdkLoading = null;

/** Loads Meta's SDK once per page life and initialises it with the app id and Graph version. */
function loadSDK(appId, version) {
  if (window.FB && window.FB.login) return Promise.resolve(window.FB);
  if (sdkLoading) return sdkLoading;
  sdkLoading = new Promise((resolve, reject) => {
    window.fbAsyncInit = () => {
      window.FB.init({ appId, autoLogAppEvents: true, xfbml: false, version });
      resolve(window.FB);
    };
    const script = h('script', { src: SDK_URL, async: true, defer: true });
    script.addEventListener('error', () => { sdkLoading = null; script.remove(); reject(new Error('sdk')); });
    document.head.append(script);
  });
  return sdkLoading;
}

/** Only Facebook's own pages may speak to us: https and a facebook.com host. */
function fromFacebook(origin) {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' && (url.hostname === 'facebook.com' || url.hostname.endsWith('.facebook.com'));
  } catch {
    return false;
  }
}

/** The WA_EMBEDDED_SIGNUP message's content, or null for anything else. */
function signupEvent(event) {
  if (!fromFacebook(event.origin)) return null;
  let data = event.data;
  if (typeof data === 'string') {
    try { data = JSON.parse(data); } catch { return null; }
  }
  return data && data.type === 'WA_EMBEDDED_SIGNUP' ? data : null;
}

/**
 * The card: "Connect with Facebook" when `config.enabled`, otherwise what the server's owner
 * must set. `onChannel(channel)` is called for every number connected or registered. Returns
 * { node, cleanup }.
 */
export function facebookCard(config, onChannel) {
  if (!config.enabled) {
    return {
      node: h('section', { class: 'card signup-card signup-off', 'aria-labelledby': 'signup-heading' },
        h('h3', { id: 'signup-heading' }, t('signup.disabled_title')),
        h('p', { class: 'muted' }, t('signup.disabled', { settings: config.missing.join(', ') }))),
      cleanup: () => {},
    };
  }
  const message = messageArea();
  const progress = h('p', { class: 'signup-progress muted', 'aria-live': 'polite' });
  const results = h('div', { class: 'signup-results' });
  const button = h('button', { type: 'button', class: 'button button-primary signup-button', disabled: true }, t('signup.button'));
  let session = null;         // the FINISH (or CANCEL) message of the current attempt
  let sessionArrived = null;  // resolves when it comes

  const onMessage = (event) => {
    const data = signupEvent(event);
    if (!data) return;
    session = data;
    if (sessionArrived) sessionArrived();
  };
  window.addEventListener('message', onMessage);

  progress.textContent = t('signup.loading');
  loadSDK(config.app_id, config.graph_version).then(() => {
    progress.textContent = '';
    button.disabled = false;
  }, () => {
    progress.textContent = '';
    message.error(t('signup.load_failed'));
  });

  button.addEventListener('click', () => {
    message.clear();
    results.replaceChildren();
    session = null;
    const arrived = new Promise((resolve) => { sessionArrived = resolve; });
    button.disabled = true;
    progress.textContent = t('signup.waiting');
    // FB.login refuses an async callback, and must run inside the click for the pop-up to open.
    window.FB.login((response) => { finish(response, arrived); }, {
      config_id: config.config_id,
      response_type: 'code',
      override_default_response_type: true,
      extras: { setup: {} },
    });
  });

  async function finish(response, arrived) {
    const code = response && response.authResponse && response.authResponse.code;
    if (!code) {
      await Promise.race([arrived, new Promise((resolve) => { setTimeout(resolve, 300); })]);
      button.disabled = false;
      progress.textContent = '';
      const problem = session && session.data && session.data.error_message;
      message.error(problem ? t('signup.cancelled_error', { message: problem }) : t('signup.cancelled'));
      return;
    }
    if (!session) await Promise.race([arrived, new Promise((resolve) => { setTimeout(resolve, SESSION_GRACE_MS); })]);
    const body = { code };
    const data = session && String(session.event || '').startsWith('FINISH') ? session.data || {} : {};
    if (/^\d+$/.test(data.waba_id || '')) body.waba_id = data.waba_id;
    if (/^\d+$/.test(data.phone_number_id || '')) body.phone_number_id = data.phone_number_id;
    progress.textContent = t('signup.connecting');
    try {
      const outcome = await api.connectWithFacebook(body);
      progress.textContent = '';
      for (const item of outcome.items) {
        onChannel(item.channel);
        results.append(result(item, onChannel));
      }
    } catch (error) {
      progress.textContent = '';
      message.error(error.display);
    } finally {
      button.disabled = false;
    }
  }

  return {
    node: h('section', { class: 'card signup-card', 'aria-labelledby': 'signup-heading' },
      h('h3', { id: 'signup-heading' }, t('signup.title')),
      h('p', {}, t('signup.intro')),
      h('div', { class: 'actions' }, button),
      progress, message.el, results),
    cleanup: () => window.removeEventListener('message', onMessage),
  };
}

/** What became of one number, in plain words, with the PIN form when it still needs one. */
function result(item, onChannel) {
  const name = item.channel.name;
  const words = h('div', { class: 'message message-success signup-result', role: 'status' },
    h('p', {}, t(item.created ? 'signup.connected' : 'signup.updated', { name })),
    item.registration === 'not_needed' || item.registration === 'registered' ? h('p', {}, t('signup.ready')) : null);
  if (item.registration !== 'pin_required' && item.registration !== 'failed') return words;
  const box = h('div', { class: 'signup-item' }, words);
  const form = pinForm(item.channel, (registered) => {
    onChannel(registered);
    box.replaceChildren(h('div', { class: 'message message-success', role: 'status' }, t('signup.registered', { name })));
  });
  if (item.registration_error) form.showError(item.registration_error);
  box.append(form.el);
  return box;
}

/** Asks for the number's 6-digit PIN and registers it; `onRegistered(channel)` once done. */
export function pinForm(channel, onRegistered) {
  const message = messageArea();
  const pin = field({ label: t('signup.pin'), name: 'pin', type: 'password', autocomplete: 'off', hint: t('signup.pin_help') });
  pin.input.setAttribute('inputmode', 'numeric');
  pin.input.setAttribute('maxlength', '6');
  pin.input.setAttribute('pattern', '[0-9]{6}');
  const el = h('form', { class: 'form pin-form', novalidate: true, 'aria-label': t('channels.register_title', { name: channel.name }) },
    h('p', {}, t('signup.pin_needed', { name: channel.name })),
    message.el, pin.wrap,
    h('div', { class: 'actions' }, submit(t('signup.register'))));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    if (!/^\d{6}$/.test(pin.input.value)) { pin.setError(t('signup.pin_help')); pin.input.focus(); return; }
    await busy(el, async () => {
      try {
        const registered = await api.registerChannel(channel.id, { pin: pin.input.value });
        pin.input.value = '';
        onRegistered(registered);
      } catch (error) {
        showError(error, message, { pin });
      }
    });
  });
  return { el, showError: (text) => message.error(text) };
}

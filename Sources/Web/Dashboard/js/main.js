// Boot and client-side routing. The server answers every app path with index.html; this module
// decides what to show: setup (no accounts yet), login (signed out) or the app shell.

import { api, onReauthenticationRequired, onUnauthenticated } from './api.js';
import { confirmPasswordDialog } from './dialogs.js';
import { h, replace } from './dom.js';
import { onLanguageChange, preferredLanguage, setLanguage, t } from './i18n.js';
import { live } from './live.js';
import { loginPage, setupPage } from './pages/auth.js';
import { Shell } from './shell.js';
import { setBusinessZone } from './zone.js';

const root = document.getElementById('app');
const state = { session: null, shell: null, flash: null };

/** Goes to `path` inside the app without a page load. */
export function navigate(path, { replace: replaceEntry = false } = {}) {
  history[replaceEntry ? 'replaceState' : 'pushState'](null, '', path);
  route({ moved: true });
}

const context = {
  get session() { return state.session; },
  navigate,
  /** Called after sign-in or setup with {staff, permissions}. */
  signedIn(session) {
    state.session = session;
    navigate('/', { replace: true });
  },
  /** Ends the session locally and shows the login page (with an optional notice key). */
  signedOut(flashKey = null) {
    state.session = null;
    state.flash = flashKey;
    live.stop();
    if (state.shell) state.shell.unmount();
    state.shell = null;
    navigate('/login', { replace: true });
  },
  /** Replaces the session (e.g. after the live socket closed because a role changed). */
  refreshSession(session) {
    const shape = (s) => JSON.stringify([s.staff.id, s.staff.name, s.staff.role, s.permissions, s.business_time_zone]);
    const changed = !state.session || shape(session) !== shape(state.session);
    state.session = session;
    setBusinessZone(session.business_time_zone);
    if (changed && state.shell) { state.shell.unmount(); state.shell = null; route({ moved: false }); }
  },
  takeFlash() { const key = state.flash; state.flash = null; return key; },
};

async function route({ moved = false, rebuild = false } = {}) {
  const path = location.pathname;
  try {
    if (!state.session && path !== '/setup') {
      try {
        state.session = await api.session();
      } catch (error) {
        if (error.status !== 401) throw error;
      }
    }
    if (state.session) {
      setBusinessZone(state.session.business_time_zone);
      if (path === '/login' || path === '/setup') return navigate('/', { replace: true });
      if (rebuild && state.shell) { state.shell.unmount(); state.shell = null; }
      if (!state.shell) {
        state.shell = new Shell(root, context);
        live.start(context);
      }
      state.shell.show(path, { focus: moved });
      return;
    }
    const { required } = await api.setupRequired();
    if (required) {
      if (path !== '/setup') return navigate('/setup', { replace: true });
      return replace(root, setupPage(context));
    }
    if (path !== '/login') return navigate('/login', { replace: true });
    replace(root, loginPage(context));
  } catch (error) {
    replace(root, h('main', { class: 'auth' },
      h('div', { class: 'card' },
        h('h1', {}, t('errors.load_failed')),
        h('p', { role: 'alert' }, error.display || String(error.message)),
        h('button', { type: 'button', class: 'button', onclick: () => route() }, t('common.retry')))));
  }
}

// In-app links: plain <a href="/x"> elements, taken over so the page does not reload.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="/"]');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target) return;
  const href = link.getAttribute('href');
  if (href.startsWith('/api/') || href.startsWith('/assets/')) return;
  event.preventDefault();
  if (href !== location.pathname) navigate(href);
});

onUnauthenticated(() => { if (state.session) context.signedOut('login.session_ended'); });
onReauthenticationRequired(() => confirmPasswordDialog());
window.addEventListener('popstate', () => route({ moved: true }));
onLanguageChange(() => route({ rebuild: true }));

setLanguage(preferredLanguage())
  .catch(() => setLanguage('en'))
  .then(() => { root.classList.remove('app-loading'); });

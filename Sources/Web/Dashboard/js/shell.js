// The app shell of seed 003 §6.1: header (menu button, brand, notifications, profile), left
// navigation, main area, status bar. Below 768 px the navigation folds behind the menu button.

import { api } from './api.js';
import { can, visibleNav } from './access.js';
import { callAlert } from './call-alert.js';
import { channelAlert } from './channel-alert.js';
import { h, icon, initials, replace } from './dom.js';
import { changePasswordDialog } from './dialogs.js';
import { LANGUAGES, language, setLanguage, t } from './i18n.js';
import { live } from './live.js';
import { pageFor } from './pages/index.js';

export class Shell {
  constructor(root, context) {
    this.root = root;
    this.context = context;
    this.cleanup = [];
    this.build();
  }

  build() {
    const { staff, permissions } = this.context.session;
    this.nav = h('nav', { id: 'main-nav', class: 'nav', 'aria-label': t('nav.label') },
      h('ul', {}, visibleNav(permissions).map((item) =>
        h('li', {}, h('a', { href: item.path, 'data-path': item.path }, icon(item.icon), h('span', {}, t(item.key)))))));
    this.menuButton = h('button', {
      type: 'button', class: 'icon-button menu-button', 'aria-expanded': 'false', 'aria-controls': 'main-nav',
      onclick: () => this.toggleNav(),
    }, icon('menu'), h('span', {}, t('header.menu')));
    this.main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
    const status = h('span', { class: 'live-status', 'data-state': live.state });
    this.cleanup.push(live.subscribe((state) => {
      status.dataset.state = state;
      replace(status, h('span', { class: 'dot', 'aria-hidden': 'true' }), t(`live.${state}`));
    }));

    const header = h('header', { class: 'topbar' },
      this.menuButton,
      h('a', { class: 'brand', href: '/' }, icon('logo'), h('span', {}, t('app.name'))),
      h('div', { class: 'topbar-actions' },
        this.popover('notifications', icon('bell'), t('header.notifications'), () =>
          [h('h2', { class: 'popover-title' }, t('notifications.title')), h('p', { class: 'muted' }, t('notifications.empty'))]),
        this.popover('profile', h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(staff.name)),
          t('header.profile'), () => this.profileMenu(staff), staff.name)));

    // Admins hear about a paused WhatsApp number wherever they are.
    let alert = null;
    if (can(permissions, 'settings', 'full')) {
      alert = channelAlert();
      this.cleanup.push(alert.cleanup);
    }

    // Whoever sees Chats hears about a call ringing the business (Twilio).
    let calls = null;
    if (can(permissions, 'chats')) {
      calls = callAlert();
      this.cleanup.push(calls.cleanup);
    }

    replace(this.root,
      h('a', { class: 'skip-link', href: '#main', onclick: (e) => { e.preventDefault(); this.main.focus(); } }, t('common.skip_to_content')),
      header,
      alert ? alert.node : null,
      calls ? calls.node : null,
      h('div', { class: 'layout' }, this.nav, this.main),
      h('footer', { class: 'statusbar' }, status, h('span', { class: 'muted' }, t('footer.signed_in_as', { name: staff.name }))));

    const onKey = (event) => { if (event.key === 'Escape') this.closeAll(true); };
    const onClick = (event) => { if (!event.target.closest('.popover-wrap, .menu-button, .nav')) this.closeAll(false); };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    this.cleanup.push(() => document.removeEventListener('keydown', onKey));
    this.cleanup.push(() => document.removeEventListener('click', onClick));
  }

  /** A button that opens a small panel; Escape or a click elsewhere closes it. */
  popover(name, glyph, label, content, visibleLabel = null) {
    const panelId = `${name}-panel`;
    const panel = h('div', { class: 'popover', id: panelId, hidden: true, role: 'region', 'aria-label': label });
    const button = h('button', {
      type: 'button', class: `icon-button ${name}-button`, 'aria-expanded': 'false', 'aria-controls': panelId,
      onclick: () => {
        const open = panel.hidden;
        this.closeAll(false);
        if (open) {
          replace(panel, content());
          panel.hidden = false;
          button.setAttribute('aria-expanded', 'true');
          const first = panel.querySelector('button, select, a');
          if (first) first.focus();
        }
      },
    }, glyph, visibleLabel ? h('span', { class: 'button-label' }, visibleLabel) : null,
    h('span', { class: 'visually-hidden' }, label));
    return h('div', { class: 'popover-wrap' }, button, panel);
  }

  profileMenu(staff) {
    const languageId = 'profile-language';
    return [
      h('p', { class: 'profile-name' }, staff.name),
      h('p', { class: 'muted profile-role' }, t(`role.${staff.role}`), ' · ', staff.email),
      h('div', { class: 'field' },
        h('label', { for: languageId }, t('profile.language')),
        h('select', {
          id: languageId,
          onchange: (event) => setLanguage(event.target.value, { remember: true }),
        }, LANGUAGES.map((lang) => h('option', { value: lang, selected: lang === language() }, t(`language.${lang}`))))),
      h('button', { type: 'button', class: 'button', onclick: () => { this.closeAll(false); changePasswordDialog(this.context); } },
        t('profile.change_password')),
      h('button', { type: 'button', class: 'button', 'data-action': 'logout', onclick: () => this.logout() }, t('profile.logout')),
    ];
  }

  async logout() {
    // Stop the live socket first: the server closes it (4001) as it ends the session, and that
    // close must not race this sign-out with a "session ended" of its own.
    live.stop();
    try { await api.logout(); } catch { /* signed out locally either way */ }
    this.context.signedOut('login.signed_out');
  }

  closeAll(restoreFocus) {
    for (const wrap of this.root.querySelectorAll('.popover-wrap')) {
      const button = wrap.querySelector('button');
      const panel = wrap.querySelector('.popover');
      if (!panel.hidden && restoreFocus) button.focus();
      panel.hidden = true;
      button.setAttribute('aria-expanded', 'false');
    }
    if (restoreFocus && this.nav.classList.contains('open')) this.menuButton.focus();
    this.setNavOpen(false);
  }

  toggleNav() { this.setNavOpen(!this.nav.classList.contains('open')); }

  setNavOpen(open) {
    this.nav.classList.toggle('open', open);
    this.menuButton.setAttribute('aria-expanded', String(open));
    if (open) { const first = this.nav.querySelector('a'); if (first) first.focus(); }
  }

  /** Shows the page for `path` in the main area. */
  show(path, { focus = false } = {}) {
    this.closeAll(false);
    for (const link of this.nav.querySelectorAll('a')) {
      const p = link.dataset.path;
      const current = p === path || (p !== '/' && path.startsWith(`${p}/`)) || (p === '/' && path === '/home');
      if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    if (this.pageCleanup) this.pageCleanup();
    const page = pageFor(path, this.context);
    this.pageCleanup = page.cleanup || null;
    replace(this.main, page.node);
    document.title = `${page.title} · ${t('app.name')}`;
    if (focus) this.main.focus();
  }

  unmount() {
    if (this.pageCleanup) this.pageCleanup();
    this.cleanup.forEach((fn) => fn());
    this.root.replaceChildren();
  }
}

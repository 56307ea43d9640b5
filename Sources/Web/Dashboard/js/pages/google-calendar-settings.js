// Google Calendar (GET/PUT /api/v1/calendar/google): the OAuth client from Google Cloud console,
// the redirect URI to paste there, Connect (to Google's consent page and back through
// /oauth/google/callback, which returns here with ?google=connected or ?google=error&reason=…),
// Disconnect, the connection's status, and which calendar each staff member syncs with.

import { api } from '../api.js';
import { confirmDialog } from '../dialogs.js';
import { h, replace } from '../dom.js';
import { busy, copyButton, field, messageArea, showError, submit } from '../forms.js';
import { formatDate, t } from '../i18n.js';

export function googleCalendarSection({ canEdit }) {
  const message = messageArea();
  const body = h('div', {}, h('p', { class: 'muted' }, t('calendar.loading')));
  const node = h('section', { class: 'card google-calendar', 'aria-labelledby': 'google-calendar-heading' },
    h('h3', { id: 'google-calendar-heading' }, t('google.title')),
    h('p', { class: 'muted' }, t('google.intro')), message.el, body);

  // Back from Google: say how it went once, then drop it from the address bar.
  const params = new URLSearchParams(window.location.search);
  const outcome = params.get('google');
  if (outcome) {
    if (outcome === 'connected') message.success(t('google.connected_now'));
    else message.error(t('google.connect_failed', { reason: params.get('reason') || 'error' }));
    params.delete('google');
    params.delete('reason');
    const rest = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : ''));
  }

  function statusLine(settings) {
    const text = {
      connected: t('google.status_connected', { when: formatDate(settings.last_sync_at) }),
      disconnected: t('google.status_disconnected'),
      needs_reconnect: t('google.status_needs_reconnect'),
      not_configured: t('google.status_not_configured'),
    }[settings.status] || settings.status;
    return h('div', { class: 'google-status' },
      h('p', {}, h('strong', {}, t('google.status')), ' ', h('span', { 'data-status': settings.status }, text)),
      settings.last_error ? h('p', { class: 'field-error google-last-error' }, settings.last_error) : null);
  }

  function render(settings) {
    const redirect = settings.redirect_uri
      ? (() => {
        const code = h('code', { class: 'google-redirect-uri' }, settings.redirect_uri);
        const copied = h('span', { class: 'muted', 'aria-live': 'polite' });
        return h('div', { class: 'field' }, h('p', { class: 'field-hint' }, t('google.redirect_uri_hint')), code, ' ',
          copyButton(settings.redirect_uri, code, copied), copied);
      })()
      : h('p', { class: 'field-error' }, t('google.public_url_missing'));

    const clientID = field({ label: t('google.client_id'), name: 'client_id', required: false, value: settings.client_id || '',
      hint: t('google.client_id_hint') });
    const secret = field({ label: t('google.client_secret'), name: 'client_secret', type: 'password', required: false,
      autocomplete: 'off', hint: settings.client_secret_set ? t('google.client_secret_saved') : t('google.client_secret_hint') });
    const calendars = settings.staff.map((member) => ({
      member,
      input: field({ label: member.staff_name, name: `calendar-${member.staff_id}`, required: false, value: member.calendar_id || '',
        hint: null }),
    }));
    const mapping = h('fieldset', { class: 'google-calendars' },
      h('legend', {}, t('google.calendars')), h('p', { class: 'field-hint' }, t('google.calendars_hint')),
      calendars.map((c) => c.input.wrap));
    const formMessage = messageArea();
    const fields = { client_id: clientID, client_secret: secret };
    const controls = h('div', { class: 'form' }, clientID.wrap, secret.wrap, mapping);
    const form = h('form', { class: 'form google-calendar-form', novalidate: true, 'aria-labelledby': 'google-calendar-heading' },
      canEdit ? controls : h('fieldset', { disabled: true }, h('legend', { class: 'visually-hidden' }, t('google.title')), controls),
      formMessage.el, canEdit ? h('div', { class: 'actions' }, submit(t('google.save'))) : null);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      formMessage.clear();
      const change = { calendars: Object.fromEntries(calendars.map((c) => [c.member.staff_id, c.input.input.value.trim() || null])) };
      if (clientID.input.value.trim()) change.client_id = clientID.input.value.trim();
      if (secret.input.value) change.client_secret = secret.input.value;
      await busy(form, async () => {
        try {
          render(await api.updateGoogleCalendar(change));
          message.success(t('google.saved'));
        } catch (error) {
          showError(error, formMessage, fields);
        }
      });
    });

    const act = (label, work, extra = {}) => h('button', {
      type: 'button', class: 'button', ...extra,
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        message.clear();
        try { await work(); } catch (error) { message.error(error.display); } finally { button.disabled = false; }
      },
    }, label);
    const connected = settings.status === 'connected';
    const ready = settings.client_id && settings.client_secret_set && settings.redirect_uri;
    const actions = canEdit ? h('div', { class: 'actions google-actions' },
      ready && !connected ? act(settings.status === 'needs_reconnect' ? t('google.reconnect') : t('google.connect'), async () => {
        const start = await api.connectGoogleCalendar();
        window.location.assign(start.authorization_url);
      }, { class: 'button button-primary' }) : null,
      connected ? act(t('google.sync_now'), async () => { render(await api.syncGoogleCalendar()); message.success(t('google.sync_started')); }) : null,
      connected || settings.status === 'needs_reconnect' ? act(t('google.disconnect'), async () => {
        if (!await confirmDialog(t('google.disconnect'), t('google.disconnect_confirm'), t('google.disconnect'))) return;
        render(await api.disconnectGoogleCalendar());
        message.success(t('google.disconnected'));
      }, { class: 'button button-danger' }) : null) : null;

    replace(body, statusLine(settings), actions, redirect, form);
  }

  api.getGoogleCalendar().then(render, (error) => {
    if (error.status === 403) { node.hidden = true; return; }
    replace(body);
    message.error(error.display);
  });
  return node;
}

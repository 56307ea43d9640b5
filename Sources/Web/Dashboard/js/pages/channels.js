// Settings → Channels: the WhatsApp numbers Atende receives and sends on. Admins connect, test,
// edit and disconnect them; Managers (settings: view) see the list read-only. Secrets are
// write-only: the API only says whether each is set, and the form sends one only when typed.

import { can } from '../access.js';
import { api } from '../api.js';
import { confirmDialog, openDialog } from '../dialogs.js';
import { h, replace } from '../dom.js';
import { messageArea } from '../forms.js';
import { formatDate, has, t } from '../i18n.js';
import { live } from '../live.js';
import { pausedWords } from '../paused.js';
import { SECRETS, channelForm, webhookCard } from './channel-form.js';
import { facebookCard, pinForm } from './facebook-signup.js';
import { twilioSection } from './twilio-settings.js';

/** Tells the shell's paused-number banner to look again (a deletion has no live event). */
export function channelsChanged() {
  document.dispatchEvent(new CustomEvent('atende:channels-changed'));
}

export function channelsPage(context) {
  const canEdit = can(context.session.permissions, 'settings', 'full');
  const message = messageArea();
  const list = h('ul', { class: 'channel-list', 'aria-label': t('channels.list_label') });
  const empty = h('p', { class: 'muted', hidden: true }, t('channels.empty'));
  const cards = new Map();   // channel id → { li, channel }
  let generation = 0;

  async function reload() {
    generation += 1;
    const mine = generation;
    try {
      const page = await api.listChannels();
      if (mine !== generation) return;
      cards.clear();
      list.replaceChildren();
      for (const channel of page.items) list.append(card(channel));
      empty.hidden = page.items.length > 0;
    } catch (error) {
      message.error(error.display);
    }
  }

  function card(channel) {
    const li = h('li', { class: 'card channel-card', 'data-id': channel.id });
    cards.set(channel.id, { li, channel });
    fill(li, channel);
    return li;
  }

  function fill(li, channel) {
    cards.set(channel.id, { li, channel });
    if (channel.kind === 'sms') { smsCard(li, channel); return; }
    const paused = channel.status === 'paused';
    const result = h('div', { class: 'channel-test', 'aria-live': 'polite' });
    const cardMessage = messageArea();
    const titleId = `channel-${channel.id}-title`;
    li.setAttribute('aria-labelledby', titleId);
    li.dataset.status = channel.status;
    const pending = channel.registration_pending === true;
    let actions = null;
    if (canEdit) {
      actions = h('div', { class: 'row-actions' },
        pending ? h('button', { type: 'button', class: 'button button-small button-primary', 'data-action': 'register',
          onclick: () => registerDialog(channel) },
        t('channels.register'), h('span', { class: 'visually-hidden' }, ` ${channel.name}`)) : null,
        h('button', { type: 'button', class: 'button button-small', 'data-action': 'test',
          onclick: (event) => testConnection(event.currentTarget, channel, result, cardMessage) },
        t('channels.test'), h('span', { class: 'visually-hidden' }, ` ${channel.name}`)),
        paused ? h('button', { type: 'button', class: 'button button-small', 'data-action': 'resume',
          onclick: (event) => resume(event.currentTarget, channel, cardMessage) },
        t('channels.resume'), h('span', { class: 'visually-hidden' }, ` ${channel.name}`)) : null,
        h('button', { type: 'button', class: 'button button-small', 'data-action': 'edit', onclick: () => editDialog(channel) },
          t('channels.edit'), h('span', { class: 'visually-hidden' }, ` ${channel.name}`)),
        h('button', { type: 'button', class: 'button button-small button-danger', 'data-action': 'delete',
          onclick: () => remove(channel) },
        t('channels.delete'), h('span', { class: 'visually-hidden' }, ` ${channel.name}`)));
    }
    replace(li,
      h('div', { class: 'channel-head' },
        h('h3', { id: titleId }, channel.name),
        h('span', { class: `badge ${paused ? 'badge-paused' : 'badge-on'}` }, t(paused ? 'channels.paused' : 'channels.active')),
        pending ? h('span', { class: 'badge badge-off', 'data-registration': 'pending' }, t('channels.registration_pending')) : null),
      pending ? h('p', { class: 'channel-paused-reason' }, t('channels.registration_help')) : null,
      paused ? pausedNote(channel, canEdit) : null,
      h('dl', { class: 'channel-facts' },
        fact(t('channels.display_phone'), channel.display_phone || '—'),
        fact(t('channels.phone_number_id'), h('code', {}, channel.phone_number_id)),
        fact(t('channels.waba_id'), h('code', {}, channel.waba_id)),
        fact(t('channels.created'), formatDate(channel.created_at))),
      h('dl', { class: 'channel-secrets', 'aria-label': t('channels.secrets_heading') },
        SECRETS.map((name) => h('div', { class: 'channel-secret' }, h('dt', {}, t(`channels.${name}`)), h('dd', {}, secretState(channel, name))))),
      actions, cardMessage.el, result);
  }

  /** A Twilio number: its SMS and calls are set in the Twilio section, not here (no WhatsApp actions). */
  function smsCard(li, channel) {
    const titleId = `channel-${channel.id}-title`;
    li.setAttribute('aria-labelledby', titleId);
    li.dataset.status = channel.status;
    li.dataset.kind = 'sms';
    const paused = channel.status === 'paused';
    replace(li,
      h('div', { class: 'channel-head' },
        h('h3', { id: titleId }, channel.phone_number_id || channel.name),
        h('span', { class: 'badge channel-badge channel-sms' }, t('chats.channel.sms')),
        h('span', { class: `badge ${paused ? 'badge-paused' : 'badge-on'}` }, t(paused ? 'channels.paused' : 'channels.active'))),
      h('p', { class: 'muted channel-sms-note' }, t('twilio.number_note'), ' ',
        h('a', { href: '#twilio-heading' }, t('twilio.number_note_link'))));
  }

  async function testConnection(button, channel, result, cardMessage) {
    cardMessage.clear();
    result.replaceChildren();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.testChannel(channel.id);
      result.replaceChildren(testResult(answer.details || {}));
    } catch (error) {
      cardMessage.error(t('channels.test_failed', { message: error.display }));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  async function resume(button, channel, cardMessage) {
    cardMessage.clear();
    button.disabled = true;
    try {
      const updated = await api.updateChannel(channel.id, { status: 'active' });
      redraw(updated);
      message.success(t('channels.resumed', { name: updated.name }));
      channelsChanged();
    } catch (error) {
      button.disabled = false;
      cardMessage.error(error.display);
    }
  }

  async function remove(channel) {
    if (!(await confirmDialog(t('channels.delete_title', { name: channel.name }), t('channels.delete_warning'),
      t('channels.delete')))) return;
    message.clear();
    try {
      await api.deleteChannel(channel.id);
      const entry = cards.get(channel.id);
      if (entry) entry.li.remove();
      cards.delete(channel.id);
      empty.hidden = cards.size > 0;
      message.success(t('channels.deleted', { name: channel.name }));
      channelsChanged();
    } catch (error) {
      message.error(error.display);
    }
  }

  function redraw(channel) {
    const entry = cards.get(channel.id);
    if (entry) fill(entry.li, channel);
    else { list.append(card(channel)); empty.hidden = true; }
  }

  function registerDialog(channel) {
    openDialog(t('channels.register_title', { name: channel.name }), (close) => {
      const form = pinForm(channel, (registered) => {
        close();
        redraw(registered);
        message.success(t('signup.registered', { name: registered.name }));
      });
      return [form.el, h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: close }, t('common.cancel')))];
    });
  }

  function editDialog(channel) {
    openDialog(t('channels.edit_title', { name: channel.name }), (close) => [
      channelForm({
        channel,
        onSaved: (updated) => {
          close();
          redraw(updated);
          message.success(t('channels.updated', { name: updated.name }));
          channelsChanged();
        },
        onCancel: close,
      }),
    ]);
  }

  // A number paused by the dispatcher (its token refused), or changed in another tab.
  const unsubscribe = live.subscribe((state, event) => {
    if (!event || event.type !== 'channel.updated' || !event.data || typeof event.data.id !== 'string') return;
    redraw(event.data);
  });

  let addCard = null;
  if (canEdit) {
    const addMessage = messageArea();
    addCard = h('details', { class: 'card add-card' },
      h('summary', { id: 'add-channel-heading' }, t('channels.add_title')),
      addMessage.el,
      channelForm({
        channel: null,
        onSaved: (created, form) => {
          form.reset();
          addMessage.success(t('channels.added', { name: created.name }));
          redraw(created);
          channelsChanged();
        },
      }));
  }

  // "Connect with Facebook" (Admins): Meta's SDK is loaded only when the server is set up for it.
  const signupSlot = h('div', { class: 'signup-slot' });
  let signupCleanup = () => {};
  if (canEdit) {
    api.embeddedSignup().then((config) => {
      const card = facebookCard(config, (channel) => { redraw(channel); channelsChanged(); });
      signupCleanup = card.cleanup;
      signupSlot.replaceChildren(card.node);
    }, (error) => message.error(error.display));
  }

  const twilio = twilioSection({ canEdit, onSaved: () => { reload(); channelsChanged(); } });

  reload();
  return {
    title: t('settings.channels'),
    cleanup: () => { unsubscribe(); signupCleanup(); },
    node: h('div', { class: 'settings-page channels-page' },
      h('h2', {}, t('settings.channels')),
      h('p', { class: 'muted' }, t('channels.intro')),
      canEdit ? null : h('p', { class: 'muted' }, t('channels.read_only')),
      signupSlot,
      webhookCard(),
      message.el,
      addCard,
      list, empty,
      twilio.node),
  };
}

function fact(label, value) {
  return h('div', { class: 'channel-fact' }, h('dt', {}, label), h('dd', {}, value));
}

function secretState(channel, name) {
  const set = channel.secrets && channel.secrets[name];
  return h('span', { class: `badge ${set ? 'badge-on' : 'badge-off'}`, 'data-secret': name },
    t(set ? 'channels.secret_set' : 'channels.secret_not_set'));
}

/** What "Test connection" read from Meta: the number as customers see it and its quality. */
function testResult(details) {
  const quality = String(details.quality_rating || '').toUpperCase();
  const qualityKey = `channels.quality.${quality.toLowerCase()}`;
  return h('div', { class: 'message message-success channel-test-result', role: 'status' },
    h('p', { class: 'channel-test-title' }, t('channels.test_ok')),
    h('dl', { class: 'channel-facts' },
      fact(t('channels.test_display_phone'), details.display_phone_number || '—'),
      fact(t('channels.test_verified_name'), details.verified_name || '—'),
      fact(t('channels.test_quality'), quality
        ? h('span', { class: `badge quality-${quality.toLowerCase()}` }, has(qualityKey) ? t(qualityKey) : quality)
        : '—')));
}

/** Why a paused number sends nothing, in plain words; what to do (for whoever may edit); and
 *  Meta's own words, for whoever asks Meta's support. */
function pausedNote(channel, canEdit) {
  const words = pausedWords(channel);
  return h('div', { class: 'channel-paused-reason', 'data-provider-code': channel.paused && channel.paused.provider_code !== null
    ? String(channel.paused.provider_code) : null },
  h('p', { class: 'channel-paused-summary' }, t('channels.paused_intro'), ' ', words.summary),
  canEdit ? h('p', { class: 'channel-paused-action' }, words.action) : null,
  words.detail ? h('p', { class: 'muted channel-paused-detail' }, words.detail) : null);
}

// The composer under a thread. Inside WhatsApp's 24-hour customer window it sends free text
// (Enter sends, Shift+Enter starts a new line); after it closes only an approved template can be
// delivered (wire-protocols.md §2.6), so free text is disabled and a template picker takes its
// place, with an input per parameter and a preview with the values filled in. An SMS conversation
// (Twilio) has no window: it sends text only, with a live count of characters and SMS parts.
// A contact who opted out of the conversation's channel cannot be written to: the composer says so.

import { api } from '../api.js';
import { h, icon, replace, uid } from '../dom.js';
import { busy, messageArea } from '../forms.js';
import { has, t } from '../i18n.js';
import { smsSegments } from '../sms-segments.js';
import { replyButtons } from './chats-buttons.js';
import { channelOf, optedOutOf } from './chats-channel.js';
import { preview, size } from './chats-message.js';

/** Whether the customer wrote in the last 24 hours, by the server's `window_closes_at`. */
export function windowOpen(conversation) {
  if (channelOf(conversation) === 'sms') return true;   // SMS has no customer window
  const closes = conversation.window_closes_at ? Date.parse(conversation.window_closes_at) : NaN;
  return Number.isFinite(closes) && closes > Date.now();
}

/** What to show a person for an error while chatting: ours for known codes, else the server's. */
export function chatError(error) {
  const key = `chats.error.${error.code}`;
  const text = has(key) ? t(key) : error.display;
  return error.options && error.options.length ? `${text} ${t('chats.error.options', { list: error.options.join(', ') })}` : text;
}

export function composer({ onSent }) {
  let conversation = null;
  let replyTo = null;
  let templates = null;          // approved templates of this conversation's number, once loaded
  let closeTimer = null;
  const message = messageArea();
  const quote = h('div', { class: 'composer-quote', hidden: true });
  const textId = uid('composer-text');
  const hintId = uid('composer-hint');
  const text = h('textarea', {
    id: textId, class: 'composer-text', rows: '1', maxlength: '4096', placeholder: t('chats.composer.placeholder'), 'aria-describedby': hintId,
  });
  const send = h('button', { type: 'submit', class: 'button button-primary composer-send' }, t('chats.composer.send'));
  // Attach: a real file input behind a label styled as a button (keyboard and screen readers
  // reach it as an input); the chosen file is shown with its size until it is sent or removed.
  const fileId = uid('composer-file');
  const fileInput = h('input', { id: fileId, type: 'file', class: 'composer-file-input visually-hidden', 'data-testid': 'attach-input' });
  const attach = h('label', { for: fileId, class: 'button composer-attach', title: t('chats.attach.button') },
    icon('clip'), h('span', { class: 'visually-hidden' }, t('chats.attach.button')));
  const fileChip = h('div', { class: 'composer-file', hidden: true });
  let file = null;
  // Quick replies: up to 3 reply buttons sent with the text (an interactive message).
  const buttons = replyButtons();
  // SMS only: characters and parts of the text as typed (sms-segments.js).
  const countId = uid('composer-count');
  const count = h('p', { id: countId, class: 'composer-count', hidden: true, 'data-testid': 'sms-count' });
  const freeForm = h('form', { class: 'composer-form', novalidate: true },
    fileChip, buttons.node,
    fileInput, attach, buttons.toggle,
    h('label', { for: textId, class: 'visually-hidden' }, t('chats.composer.label')), text, send,
    count,
    h('p', { id: hintId, class: 'composer-hint' }, t('chats.composer.hint')));
  const templateArea = h('div', { class: 'composer-templates', hidden: true });
  const notice = h('p', { class: 'composer-notice', hidden: true });
  const node = h('div', { class: 'composer' }, message.el, quote, notice, freeForm, templateArea);

  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      freeForm.requestSubmit();
    }
  });
  text.addEventListener('input', () => { grow(); countParts(); });
  fileInput.addEventListener('change', () => {
    message.clear();
    setFile(fileInput.files && fileInput.files[0] ? fileInput.files[0] : null);
  });
  freeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = text.value;
    if (file && buttons.active()) { message.error(t('chats.buttons.no_file')); return; }
    if (buttons.active()) {
      const refused = await sendBody(freeForm, { interactive: buttons.interactive(body) }, () => { text.value = ''; grow(); buttons.reset(); },
        (error, shown) => {
          if (error.field === 'interactive.body') { message.error(t('chats.buttons.error_body')); return text; }
          return buttons.showError(error, shown);
        });
      if (!refused) text.focus();
      return;
    }
    if (file) {
      await sendFile(body.trim() ? body : null);
      text.focus();
      return;
    }
    if (!body.trim()) { text.focus(); return; }
    await sendBody(freeForm, { text: body }, () => { text.value = ''; grow(); });
    text.focus();
  });

  function setFile(chosen) {
    file = chosen;
    fileInput.value = '';
    fileChip.hidden = !file;
    text.placeholder = t(file ? 'chats.attach.caption_placeholder' : 'chats.composer.placeholder');
    if (!file) { fileChip.replaceChildren(); return; }
    replace(fileChip,
      h('p', { class: 'composer-file-name' }, h('span', { class: 'visually-hidden' }, t('chats.attach.chosen')), ' ',
        h('span', { 'data-testid': 'attach-name' }, file.name), ' ', h('span', { class: 'muted' }, `(${size(file.size)})`)),
      h('button', { type: 'button', class: 'button button-small', onclick: () => { setFile(null); text.focus(); } }, t('chats.attach.remove')));
  }

  /** Uploads the chosen file, then sends it with the caption. Audio and stickers carry no
   *  caption on WhatsApp, so the words go as a text right after them. */
  async function sendFile(caption) {
    message.clear();
    const sending = file;
    await busy(freeForm, async () => {
      let upload;
      try {
        upload = await api.uploadFile(sending);
      } catch (error) {
        message.error(chatError(error));
        return;
      }
      const captioned = ['image', 'video', 'document'].includes(upload.kind);
      const body = { media: { upload_id: upload.id } };
      if (caption && captioned) body.media.caption = caption;
      if (replyTo) body.reply_to = replyTo.id;
      try {
        onSent(await api.sendMessage(conversation.id, body));
        setFile(null);
        setReply(null);
        if (caption && !captioned) onSent(await api.sendMessage(conversation.id, { text: caption }));
        text.value = '';
        grow();
      } catch (error) {
        message.error(chatError(error));
        if (error.code === 'customer_window_closed') { conversation = { ...conversation, window_closes_at: null }; render(); }
      }
    });
  }

  function countParts() {
    const sms = conversation && channelOf(conversation) === 'sms';
    count.hidden = !sms || text.disabled;
    text.setAttribute('aria-describedby', sms ? `${hintId} ${countId}` : hintId);
    if (!sms) return;
    const answer = smsSegments(text.value);
    count.dataset.encoding = answer.encoding;
    count.dataset.parts = String(answer.parts);
    count.textContent = answer.parts === 0 ? t('chats.sms.count_empty') : t(answer.encoding === 'gsm' ? 'chats.sms.count_gsm' : 'chats.sms.count_ucs2',
      { characters: answer.units, parts: answer.parts, per: answer.perPart });
  }

  function grow() {
    text.style.height = 'auto';
    text.style.height = `${Math.min(text.scrollHeight, 160)}px`;
  }

  /** Sends `body`; `inline(error, text)` may show a refusal on the field it names and return that
   *  field's input, which gets the focus once the form is enabled again (and is returned). */
  async function sendBody(form, body, done, inline = () => null) {
    message.clear();
    buttons.clearErrors();
    let target = null;
    if (replyTo) body.reply_to = replyTo.id;
    await busy(form, async () => {
      try {
        const sent = await api.sendMessage(conversation.id, body);
        done();
        countParts();
        setReply(null);
        onSent(sent);
      } catch (error) {
        const shown = chatError(error);
        // A refused button title goes under its input; the body's refusal is about the text box.
        target = inline(error, shown);
        if (!target) message.error(shown);
        // The server's clock decides: if it says the window closed, show the templates.
        if (error.code === 'customer_window_closed') { conversation = { ...conversation, window_closes_at: null }; render(); }
      }
    });
    if (target) target.focus();
    return target;
  }

  function setReply(quoted) {
    replyTo = quoted;
    quote.hidden = !quoted;
    if (!quoted) { quote.replaceChildren(); return; }
    replace(quote,
      h('p', {}, h('span', { class: 'composer-quote-label' }, t('chats.replying_to')), ' ', h('span', { class: 'composer-quote-text' }, preview(quoted))),
      h('button', { type: 'button', class: 'button button-small', onclick: () => { setReply(null); text.focus(); } }, t('chats.reply_cancel')));
    if (!text.disabled) text.focus();
  }

  function render() {
    clearTimeout(closeTimer);
    const channel = channelOf(conversation);
    const sms = channel === 'sms';
    const optedOut = optedOutOf(conversation.contact, channel);
    const blocked = conversation.contact.blocked || conversation.status === 'blocked' || optedOut;
    const open = windowOpen(conversation);
    notice.hidden = open && !blocked;
    text.disabled = blocked || !open;
    send.disabled = blocked || !open;
    fileInput.disabled = blocked || !open || sms;
    buttons.toggle.disabled = blocked || !open || sms;
    // SMS carries text only: no files, no reply buttons, no templates.
    attach.hidden = sms;
    buttons.toggle.hidden = sms;
    if (sms) { setFile(null); buttons.reset(); }
    countParts();
    freeForm.hidden = !blocked && !open;
    templateArea.hidden = blocked || open;
    if (optedOut && !(conversation.contact.blocked || conversation.status === 'blocked')) {
      notice.textContent = t(conversation.contact.opted_out === true ? 'chats.composer.opted_out_all' : `chats.composer.opted_out_${channel}`);
      return;
    }
    if (blocked) { notice.textContent = t('chats.composer.blocked'); return; }
    if (sms) return;
    if (open) {
      // Re-render when the window closes while the thread is open (setTimeout caps at ~24.8 days).
      const left = Date.parse(conversation.window_closes_at) - Date.now();
      closeTimer = setTimeout(render, Math.min(left + 1000, 2 ** 31 - 1));
      return;
    }
    notice.textContent = t('chats.composer.window_closed');
    showTemplates();
  }

  async function showTemplates() {
    replace(templateArea, h('p', { class: 'muted' }, t('chats.templates.loading')));
    if (!templates || templates.channel !== conversation.channel_id) {
      try {
        const page = await api.listTemplates(conversation.channel_id);
        templates = { channel: conversation.channel_id, items: page.items.filter((item) => item.status === 'APPROVED') };
      } catch (error) {
        replace(templateArea, h('p', { class: 'message message-error', role: 'alert' }, chatError(error)));
        return;
      }
    }
    if (templates.items.length === 0) {
      replace(templateArea, h('p', { class: 'muted' }, t('chats.templates.none')));
      return;
    }
    replace(templateArea, templatePicker(templates.items));
  }

  function templatePicker(items) {
    const selectId = uid('template');
    const select = h('select', { id: selectId, name: 'template' },
      items.map((item, index) => h('option', { value: String(index) }, `${item.name} (${item.language})`)));
    const params = h('div', { class: 'template-params' });
    const shown = h('p', { class: 'template-preview-text' });
    const form = h('form', { class: 'template-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: selectId }, t('chats.templates.choose')), select),
      params,
      h('div', { class: 'template-preview' }, h('p', { class: 'msg-label' }, t('chats.templates.preview')), shown),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('chats.templates.send'))));
    let inputs = [];
    const chosen = () => items[Number(select.value)];
    const fill = () => {
      const values = inputs.map((input) => input.value);
      shown.textContent = chosen().body.replace(/\{\{\s*(\d+)\s*\}\}/g, (match, n) => values[Number(n) - 1] || match);
    };
    const build = () => {
      inputs = [];
      replace(params, Array.from({ length: chosen().parameters }, (_, index) => {
        const id = uid('template-param');
        const input = h('input', { id, type: 'text', name: `parameter-${index + 1}`, autocomplete: 'off' });
        input.addEventListener('input', fill);
        inputs.push(input);
        return h('div', { class: 'field' }, h('label', { for: id }, t('chats.templates.parameter', { n: index + 1 })), input);
      }));
      fill();
    };
    select.addEventListener('change', build);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const empty = inputs.find((input) => !input.value.trim());
      if (empty) { message.error(t('chats.templates.fill_all')); empty.focus(); return; }
      const template = chosen();
      await sendBody(form, { template: { name: template.name, language: template.language, parameters: inputs.map((i) => i.value) } },
        () => { inputs.forEach((input) => { input.value = ''; }); fill(); });
    });
    build();
    return form;
  }

  return {
    node,
    setReply,
    /** Puts `value` (a suggested reply) in the text box for staff to edit and send. */
    suggest(value) {
      if (text.disabled) return;
      text.value = value;
      grow();
      text.focus();
    },
    /** Shows the composer for `next` (a Conversation object), keeping a draft for the same one. */
    update(next) {
      const same = conversation && conversation.id === next.id;
      const before = conversation;
      conversation = next;
      if (!same) { text.value = ''; setReply(null); setFile(null); buttons.reset(); message.clear(); grow(); }
      if (!same || windowOpen(before) !== windowOpen(next) || before.status !== next.status
          || before.contact.blocked !== next.contact.blocked
          || optedOutOf(before.contact, channelOf(before)) !== optedOutOf(next.contact, channelOf(next))) render();
    },
    focus() { if (!text.disabled) text.focus(); },
    stop() { clearTimeout(closeTimer); },
  };
}

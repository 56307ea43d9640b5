// One message of a thread as a bubble: every type the API has (seed 004) is shown, none dropped;
// a type this dashboard does not know is shown as "unsupported" with whatever text it carries.
// Everything from the customer goes in as text nodes (dom.js), never as markup.

import { h } from '../dom.js';
import { formatDate, has, language, t } from '../i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A bubble for `message`. `quote(replyTo)` returns a node for the quoted message (or null);
 * `onReply(message)` and `onRetry(message)` are the bubble's buttons.
 */
export function messageBubble(message, { quote, onReply, onRetry, onSuggest, canQuote = true }) {
  const outbound = message.direction === 'outbound';
  if (message.type === 'call') return callRow(message);
  if (message.type === 'system') {
    return h('li', { class: 'msg msg-system', 'data-id': message.id },
      h('p', {}, message.text || t('chats.type.system')), h('time', { datetime: message.created_at }, shortTime(message.created_at)));
  }
  const failed = message.status === 'failed';
  return h('li', {
    class: `msg ${outbound ? 'msg-out' : 'msg-in'}${failed ? ' msg-failed' : ''}`,
    'data-id': message.id, 'data-status': message.status, 'data-type': message.type,
  },
  h('div', { class: 'msg-bubble' },
    outbound && message.author && message.author.kind === 'assistant' ? assistantLine(message.ai) : null,
    outbound && message.author && message.author.kind !== 'staff' && message.author.kind !== 'assistant'
      ? h('p', { class: 'msg-author' }, t(`chats.author.${message.author.kind}`)) : null,
    message.reply_to ? quote(message.reply_to) : null,
    body(message),
    h('p', { class: 'msg-meta' },
      h('time', { datetime: message.created_at, title: formatDate(message.created_at) }, shortTime(message.created_at)),
      outbound ? ticks(message.status) : null),
    failed ? failure(message, onRetry) : null,
    !outbound && message.ai ? insightsLine(message.ai, onSuggest) : null),
  canQuote && message.provider_id && message.type !== 'reaction'
    ? h('button', { type: 'button', class: 'msg-reply-button', onclick: () => onReply(message) },
      t('chats.reply'), h('span', { class: 'visually-hidden' }, ` ${preview(message)}`))
    : null);
}

/** A phone call as one compact row: a missed one in the warning colour with what happened to its
 *  text-back SMS, an answered one with how long it lasted; a voicemail plays under it. */
function callRow(message) {
  const call = message.call || {};
  const missed = call.missed === true;
  const status = call.status && has(`chats.call.status.${call.status}`) ? t(`chats.call.status.${call.status}`) : null;
  const textBack = missed && call.text_back && has(`chats.call.text_back.${call.text_back}`)
    ? t(`chats.call.text_back.${call.text_back}`) : null;
  const duration = !missed && typeof call.duration_s === 'number' ? minutes(call.duration_s) : null;
  const file = message.media;
  return h('li', {
    class: `msg msg-call${missed ? ' msg-call-missed' : ''}`, 'data-id': message.id, 'data-type': 'call',
    'data-call-status': call.status || null, 'data-text-back': call.text_back || null,
  },
  h('div', { class: 'msg-call-body' },
    h('p', { class: 'msg-call-title' },
      h('span', { class: 'msg-call-icon', 'aria-hidden': 'true' }, missed ? '✆✕' : '✆'), ' ',
      h('strong', {}, t(missed ? 'chats.call.missed' : 'chats.call.answered')),
      duration ? h('span', { class: 'msg-call-duration' }, ` · ${t('chats.call.duration', { time: duration })}`) : null,
      ' ', h('time', { datetime: message.created_at, title: formatDate(message.created_at) }, shortTime(message.created_at))),
    missed && status ? h('p', { class: 'msg-call-detail' }, status) : null,
    textBack ? h('p', { class: 'msg-call-detail', 'data-testid': 'text-back' }, textBack) : null,
    file && file.available && file.url
      ? h('div', { class: 'msg-call-voicemail' }, h('p', { class: 'msg-call-detail' }, t('chats.call.voicemail')),
        h('audio', { src: file.url, controls: true, preload: 'metadata', class: 'msg-audio', 'aria-label': t('chats.call.voicemail') }))
      : null,
    file && !file.available ? h('p', { class: 'msg-call-detail muted' }, t('chats.call.voicemail_pending')) : null));
}

/** Seconds as m:ss (1:05). */
export function minutes(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Who wrote it (the assistant, as a badge), how sure it was and what it answered from. */
function assistantLine(ai) {
  const sources = ai && ai.sources ? ai.sources.map((source) => source.title).filter(Boolean) : [];
  return h('div', { class: 'msg-assistant' },
    h('p', { class: 'msg-author' },
      h('span', { class: 'badge badge-assistant' }, t('chats.author.assistant')),
      ai && typeof ai.confidence === 'number'
        ? h('span', { class: 'msg-confidence' }, ` ${t('chats.ai_confidence', { value: percent(ai.confidence) })}`) : null),
    sources.length ? h('p', { class: 'msg-sources' }, t('chats.ai_sources', { titles: sources.join(' · ') })) : null);
}

/** A customer message's insights, one compact line, and its suggested reply when there is one. */
function insightsLine(ai, onSuggest) {
  const parts = [
    ai.intent ? (has(`chats.intent.${ai.intent}`) ? t(`chats.intent.${ai.intent}`) : ai.intent) : null,
    ai.polarity ? (has(`chats.polarity.${ai.polarity}`) ? t(`chats.polarity.${ai.polarity}`) : ai.polarity) : null,
    ai.summary || null,
  ].filter(Boolean);
  return h('div', { class: 'msg-insights' },
    h('p', {}, h('span', { class: 'msg-insights-label' }, `${t('chats.ai_insights')}: `), parts.join(' · ')),
    ai.suggested_reply && onSuggest
      ? h('button', { type: 'button', class: 'button button-small', 'data-action': 'use-suggestion',
        onclick: () => onSuggest(ai.suggested_reply) }, t('chats.use_suggestion'))
      : null);
}

function percent(value) {
  return `${Math.round(value * 100)}%`;
}

/** The content, by type. */
function body(message) {
  const text = message.text ? h('p', { class: 'msg-text' }, message.text) : null;
  switch (message.type) {
    case 'text':
      return text || h('p', { class: 'msg-text muted' }, t('chats.type.empty'));
    case 'image': case 'sticker': case 'video': case 'audio': case 'document':
      return [media(message), message.media && message.text === message.media.filename ? null : text];
    case 'location':
      return location(message);
    case 'contacts':
      return labelled(t('chats.type.contacts'), text);
    case 'interactive':
      return message.interactive ? offered(message.interactive) : labelled(t('chats.type.choice'), text);
    case 'button':
      return labelled(t('chats.type.choice'), text);
    case 'reaction':
      return [
        message.reaction_to && message.reaction_to.preview
          ? h('blockquote', { class: 'msg-quote' }, message.reaction_to.preview) : null,
        h('p', { class: 'msg-text msg-reaction' },
          message.text ? t('chats.type.reaction', { emoji: message.text }) : t('chats.type.reaction_removed')),
      ];
    case 'order':
      return labelled(t('chats.type.order'), text);
    case 'template':
      return labelled(message.template ? t('chats.type.template_named', { name: message.template.name, language: message.template.language })
        : t('chats.type.template'), text);
    default:
      return labelled(t('chats.type.unsupported'), text);
  }
}

/** Reply buttons or a list we sent: the text, then the choices as the customer sees them. */
function offered(interactive) {
  const choices = interactive.type === 'list'
    ? interactive.sections.map((section) => [
      section.title ? h('li', { class: 'msg-choice-section' }, section.title) : null,
      section.rows.map((row) => h('li', { class: 'msg-choice' }, row.title,
        row.description ? h('span', { class: 'msg-choice-description' }, ` — ${row.description}`) : null)),
    ])
    : interactive.buttons.map((button) => h('li', { class: 'msg-choice' }, button.title));
  return [
    h('p', { class: 'msg-label' }, t(interactive.type === 'list' ? 'chats.type.list' : 'chats.type.buttons',
      interactive.type === 'list' ? { label: interactive.button || '' } : {})),
    interactive.header ? h('p', { class: 'msg-text msg-header' }, interactive.header) : null,
    h('p', { class: 'msg-text' }, interactive.body),
    interactive.footer ? h('p', { class: 'msg-text muted' }, interactive.footer) : null,
    h('ul', { class: 'msg-choices' }, choices),
  ];
}

function labelled(label, content) {
  return [h('p', { class: 'msg-label' }, label), content];
}

function media(message) {
  const file = message.media;
  const kind = message.type;
  if (file && !file.available && file.link && file.link.startsWith('https://')) {
    // A file we sent by its public link: WhatsApp fetched it; we never kept a copy.
    return h('p', { class: 'msg-label' }, t(`chats.media.${kind}`), ' · ',
      h('a', { href: file.link, target: '_blank', rel: 'noopener noreferrer' }, t('chats.media.open_link')));
  }
  if (!file || !file.available) {
    return h('p', { class: 'msg-label' }, t(`chats.media.${kind}`), ' · ',
      h('span', { class: 'muted' }, (file && file.unavailable_reason) || t('chats.media.pending')));
  }
  const alt = message.text || t(`chats.media.${kind}`);
  if (kind === 'image' || kind === 'sticker') {
    return h('a', { href: file.url, target: '_blank', rel: 'noopener', class: 'msg-media-link' },
      h('img', { src: file.url, alt, class: `msg-image${kind === 'sticker' ? ' msg-sticker' : ''}`, loading: 'lazy' }));
  }
  if (kind === 'video') return h('video', { src: file.url, controls: true, preload: 'metadata', class: 'msg-video', 'aria-label': alt });
  if (kind === 'audio') return h('audio', { src: file.url, controls: true, preload: 'metadata', class: 'msg-audio', 'aria-label': alt });
  return h('a', { href: file.url, class: 'msg-document', download: file.filename || true },
    t('chats.media.document'), ': ', file.filename || t('chats.media.download'), file.size ? ` (${size(file.size)})` : '');
}

function location(message) {
  const place = message.location;
  if (!place) return labelled(t('chats.type.location'), message.text ? h('p', { class: 'msg-text' }, message.text) : null);
  const lat = Number(place.latitude).toFixed(5);
  const lon = Number(place.longitude).toFixed(5);
  return [
    h('p', { class: 'msg-label' }, t('chats.type.location')),
    place.name ? h('p', { class: 'msg-text' }, place.name) : null,
    place.address ? h('p', { class: 'msg-text muted' }, place.address) : null,
    h('a', { href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`, target: '_blank', rel: 'noopener noreferrer' },
      t('chats.location.open_map', { lat, lon })),
  ];
}

function failure(message, onRetry) {
  // Plain words for the kinds staff meet, with the provider's own text beneath; else that text.
  const kind = message.error && message.error.kind;
  const recorded = message.error && message.error.reason;
  const said = recorded && kind && recorded.startsWith(`${kind}: `) ? recorded.slice(kind.length + 2) : recorded;
  const plain = kind && has(`chats.failed.kind.${kind}`) ? t(`chats.failed.kind.${kind}`) : null;
  const reason = plain || said || t('chats.failed.unknown');
  return h('div', { class: 'msg-failure', role: 'alert' },
    h('p', {}, t('chats.failed.reason', { reason })),
    plain && said ? h('p', { class: 'msg-failure-detail' }, said) : null,
    message.provider_id ? null
      : h('button', { type: 'button', class: 'button button-small', onclick: (event) => onRetry(message, event.currentTarget) }, t('chats.retry')));
}

/** The delivery mark: clock (queued), ✓ (sent), ✓✓ (delivered), blue ✓✓ (read), ! (failed). */
export function ticks(status) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', `ticks ticks-${status}`);
  svg.setAttribute('viewBox', '0 0 20 12');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const paths = {
    queued: ['M10 1.5a4.5 4.5 0 1 0 0.01 0z', 'M10 3.5v2.5l1.8 1.2'],
    sent: ['M5 6.5l2.5 2.5 6-6.5'],
    delivered: ['M2 6.5l2.5 2.5 6-6.5', 'M8.5 9l6-6.5'],
    read: ['M2 6.5l2.5 2.5 6-6.5', 'M8.5 9l6-6.5'],
    failed: ['M10 2v5', 'M10 9.5v0.5'],
  }[status] || [];
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  const key = `chats.status.${status}`;
  return h('span', { class: 'msg-status', 'data-status': status }, svg,
    h('span', { class: 'visually-hidden' }, has(key) ? t(key) : status));
}

/** A one-line summary of a message, for quotes and screen-reader labels. */
export function preview(message) {
  if (message.text) return message.text;
  const key = `chats.media.${message.type}`;
  return has(key) ? t(key) : t('chats.type.unsupported');
}

/** Today: the time; otherwise the date. */
export function shortTime(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return new Intl.DateTimeFormat(language(),
    sameDay ? { timeStyle: 'short' } : { dateStyle: 'short' }).format(date);
}

/** A file size people read: 512 B, 34 KB, 2.5 MB. */
export function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

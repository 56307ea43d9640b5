// Which channel a conversation is on (WhatsApp or SMS through Twilio), whether its contact
// may still be written to on it, the name it goes by and its unread badge; shared by the list,
// the thread header, the composer, Home and the booking dialog.

import { h } from '../dom.js';
import { t } from '../i18n.js';

/** The channel of a conversation; older objects without the field are WhatsApp's. */
export function channelOf(conversation) {
  return conversation.channel === 'sms' ? 'sms' : 'whatsapp';
}

/** A small badge naming the channel ("WhatsApp" / "SMS"). */
export function channelBadge(channel) {
  return h('span', { class: `badge channel-badge channel-${channel}`, 'data-channel': channel }, t(`chats.channel.${channel}`));
}

/** The name a contact goes by: theirs, else their phone number, else their WhatsApp id. */
export function contactName(contact) {
  return contact.display_name || contact.phone || contact.wa_id;
}

/** The green count of unread messages, read out as "N unread"; null when there are none. */
export function unreadBadge(count) {
  return count > 0
    ? h('span', { class: 'chat-badge', 'data-unread': count }, String(count), h('span', { class: 'visually-hidden' }, ` ${t('chats.unread')}`))
    : null;
}

/** Whether `contact` opted out of `channel` (or out of every channel). */
export function optedOutOf(contact, channel) {
  if (!contact) return false;
  return contact.opted_out === true || (contact.opted_out_channels || []).includes(channel);
}

/** Badges for the contact's opt-outs: all messages, else one per channel; empty when none. */
export function consentBadges(contact) {
  if (!contact) return [];
  if (contact.opted_out === true) {
    return [h('span', { class: 'badge badge-opted-out', 'data-opted-out': 'all' }, t('chats.consent.all'))];
  }
  return (contact.opted_out_channels || []).filter((channel) => channel === 'sms' || channel === 'whatsapp')
    .map((channel) => h('span', { class: 'badge badge-opted-out', 'data-opted-out': channel }, t(`chats.consent.${channel}`)));
}

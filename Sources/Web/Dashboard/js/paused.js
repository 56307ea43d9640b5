// A paused WhatsApp number in plain words: what Meta refused and what to do, in the person's
// language, chosen by the same rules as the server's `paused.summary` and `paused.action`
// (PauseReason.swift). Meta's own code stays in the words; its message is kept as the detail.

import { t } from './i18n.js';

/** `{ summary, action, detail }` for a paused channel (detail: Meta's words, or null). */
export function pausedWords(channel) {
  const paused = channel.paused;
  if (!paused) return { summary: t('channels.pause.unknown'), action: t('channels.pause.action_token'), detail: null };
  const number = Number.isInteger(paused.provider_code) ? paused.provider_code : null;
  const code = number === null ? '' : ` (${number})`;
  let key = 'refused';
  if (paused.code === 'channel_not_authorised') {
    if (number === 190) key = 'token_invalid';
    else if (number === 10 || (number >= 200 && number <= 299)) key = 'permission';
    else if (number === 401 || number === 403) key = 'http';
    else key = 'credentials';
  }
  return {
    summary: t(`channels.pause.${key}`, { code }),
    action: t(key === 'permission' ? 'channels.pause.action_permission' : 'channels.pause.action_token'),
    detail: paused.provider_message ? t('channels.pause.provider_said', { message: paused.provider_message }) : null,
  };
}

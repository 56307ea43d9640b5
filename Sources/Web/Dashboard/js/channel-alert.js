// The banner Admins see on every page while a WhatsApp number is paused (Meta refused its token,
// so nothing is sent on it). Loaded once with the shell, then kept current by channel.updated
// live events; a deletion has no event, so the Channels page asks for a reload instead.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { live } from './live.js';
import { pausedWords } from './paused.js';

export function channelAlert() {
  const node = h('div', { class: 'channel-alert', role: 'alert', hidden: true });
  const channels = new Map();   // id → channel
  const newer = new Map();      // events that arrived while the list was loading win over it
  let generation = 0;

  function render() {
    const paused = [...channels.values()].filter((channel) => channel.status === 'paused');
    node.hidden = paused.length === 0;
    replace(node, paused.map((channel) => h('p', { 'data-id': channel.id },
      h('strong', {}, t('channels.alert', { name: channel.name })), ' ',
      h('span', { class: 'channel-alert-reason' }, pausedWords(channel).summary), ' ',
      h('a', { href: '/settings/channels' }, t('channels.alert_link')))));
  }

  async function reload() {
    generation += 1;
    const mine = generation;
    newer.clear();
    try {
      const page = await api.listChannels();
      if (mine !== generation) return;
      channels.clear();
      for (const channel of page.items) channels.set(channel.id, channel);
      for (const [id, channel] of newer) channels.set(id, channel);
      render();
    } catch {
      // The banner is a convenience: the Channels page shows the same state and its errors.
    }
  }

  const unsubscribe = live.subscribe((state, event) => {
    if (!event || event.type !== 'channel.updated' || !event.data || typeof event.data.id !== 'string') return;
    newer.set(event.data.id, event.data);
    channels.set(event.data.id, event.data);
    render();
  });
  document.addEventListener('atende:channels-changed', reload);
  reload();
  return {
    node,
    cleanup() {
      unsubscribe();
      document.removeEventListener('atende:channels-changed', reload);
    },
  };
}

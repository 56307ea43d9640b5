// The live-events socket (GET /api/v1/live). Keeps one connection while signed in, resumes with
// ?since=<last seq> after a drop, reloads the page when the server says the gap is too old, and
// reports its state: 'connecting' | 'connected' | 'reconnecting' | 'offline'.
//
// The server closes with 4001 (session ended), 4002 (role changed), 4003 (account disabled):
// after any close the session is checked again, which signs out or refreshes the navigation.
// 4008 (this client fell behind) and 1001 (server restarting) just reconnect with ?since.

import { api } from './api.js';

const MAX_DELAY_MS = 30000;
const OFFLINE_AFTER_FAILURES = 3;

class Live {
  constructor() {
    this.state = 'offline';
    this.lastSeq = null;
    this.socket = null;
    this.failures = 0;
    this.timer = null;
    this.running = false;
    this.context = null;
    this.listeners = new Set();
    window.addEventListener('online', () => { if (this.running && !this.socket) this.connectNow(); });
    window.addEventListener('offline', () => { if (this.running) this.setState('offline'); });
  }

  /** Calls `listener(state, event)` on every state change and event; returns an unsubscribe. */
  subscribe(listener) {
    this.listeners.add(listener);
    listener(this.state, null);
    return () => this.listeners.delete(listener);
  }

  start(context) {
    if (this.running) return;
    this.running = true;
    this.context = context;
    this.failures = 0;
    this.setState('connecting');
    this.connect();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    if (this.socket) { const s = this.socket; this.socket = null; s.close(1000); }
    this.lastSeq = null;
    this.setState('offline');
  }

  connectNow() {
    clearTimeout(this.timer);
    this.connect();
  }

  connect() {
    if (!this.running) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const since = this.lastSeq === null ? '' : `?since=${encodeURIComponent(this.lastSeq)}`;
    const socket = new WebSocket(`${scheme}//${location.host}/api/v1/live${since}`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.failures = 0;
      this.setState('connected');
    });
    socket.addEventListener('message', (message) => {
      if (this.socket !== socket) return;
      let event;
      try { event = JSON.parse(message.data); } catch { return; }
      if (event.type === 'reload') { this.running = false; location.reload(); return; }
      if (event.type === 'hello') {
        // A fresh subscription starts after current_seq: resuming from there loses nothing.
        if (this.lastSeq === null && typeof event.current_seq === 'number') this.lastSeq = event.current_seq;
        return;
      }
      if (typeof event.seq === 'number') this.lastSeq = event.seq;
      for (const listener of this.listeners) listener(this.state, event);
    });
    socket.addEventListener('close', (closed) => {
      if (this.socket !== socket) return;
      this.socket = null;
      // Closed by the server on purpose (not a network drop): try again at once.
      if (closed.code === 4002 || closed.code === 4008 || closed.code === 1001) this.failures = 0;
      if (this.running) this.afterDrop();
    });
  }

  /** After a drop: check the session still stands (a disabled account or a new role closes the
   *  socket), then retry with exponential back-off. */
  async afterDrop() {
    this.failures += 1;
    const offline = navigator.onLine === false || this.failures > OFFLINE_AFTER_FAILURES;
    this.setState(offline ? 'offline' : 'reconnecting');
    try {
      const session = await api.session();
      if (!this.running) return;
      this.context.refreshSession(session);
    } catch (error) {
      if (error.status === 401) { this.context.signedOut('login.session_ended'); return; }
    }
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(this.failures, 6));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.listeners) listener(state, null);
  }
}

export const live = new Live();

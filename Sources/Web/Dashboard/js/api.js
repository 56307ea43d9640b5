// The one place the dashboard talks HTTP. Every request is same-origin with cookies; every
// state-changing request carries X-Atende-CSRF: 1 (api-v1.md). Errors become ApiError with the
// server's code, message, field and options (e.g. the templates still usable when the customer
// window is closed), so pages can show them.

import { has, t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, field = null, retryAfter = null, options = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
    this.options = options;
  }

  /** What to show a person: our own translation for known codes, else the server's message. */
  get display() {
    if (this.code === 'too_many_attempts' && this.retryAfter !== null) {
      return t('errors.too_many_attempts_wait', { seconds: this.retryAfter });
    }
    // A field's rule in the reader's language, where its message is always the same (the
    // assistant's settings); other field messages say what exactly was wrong, so they stay.
    if (this.code === 'invalid_field' && this.field && has(`errors.field.${this.field}`)) return t(`errors.field.${this.field}`);
    const key = `errors.${this.code}`;
    if (has(key)) return t(key);
    return this.message || t('errors.unknown');
  }
}

let unauthenticated = null;
let reauthenticate = null;

/** Called when a signed-in request answers 401: the session ended (timeout, password reset,
 *  account disabled), so the app returns to the login page. */
export function onUnauthenticated(handler) { unauthenticated = handler; }

/** Called when a change answers 403 reauthentication_required (the session's password is older
 *  than the server's window): `handler()` asks for the password and resolves true once the
 *  server accepted it, and the change is sent once more. */
export function onReauthenticationRequired(handler) { reauthenticate = handler; }

export async function request(method, path, body, retried = false) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET' && method !== 'HEAD') init.headers['X-Atende-CSRF'] = '1';
  if (body instanceof Blob) {
    // A file goes as itself, its type in Content-Type (POST /api/v1/uploads).
    init.headers['Content-Type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', t('errors.network'));
  }
  if (response.status === 204) return null;
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (response.status === 401 && unauthenticated && !path.startsWith('/api/v1/session') && !path.startsWith('/api/v1/setup')) {
    unauthenticated();
  }
  if (response.status === 403 && data && data.error && data.error.code === 'reauthentication_required'
      && reauthenticate && !retried && await reauthenticate()) {
    return request(method, path, body, true);
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    const retry = response.headers.get('Retry-After');
    const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : null;
    throw new ApiError(response.status, error.code || `http_${response.status}`,
      error.message || t('errors.unknown'), error.field || null, retryAfter,
      Array.isArray(error.options) ? error.options : null);
  }
  return data;
}

export const api = {
  setupRequired: () => request('GET', '/api/v1/setup'),
  setup: (body) => request('POST', '/api/v1/setup', body),
  session: () => request('GET', '/api/v1/session'),
  login: (email, password) => request('POST', '/api/v1/session', { email, password }),
  logout: () => request('DELETE', '/api/v1/session'),
  changePassword: (current, next) =>
    request('POST', '/api/v1/session/password', { current_password: current, new_password: next }),
  confirmPassword: (password) => request('POST', '/api/v1/session/confirm', { password }),
  listStaff: (cursor) => request('GET', listPath('/api/v1/staff', cursor)),
  listAssignees: () => request('GET', '/api/v1/assignees'),
  addStaff: (body) => request('POST', '/api/v1/staff', body),
  updateStaff: (id, body) => request('PATCH', `/api/v1/staff/${encodeURIComponent(id)}`, body),
  resetPassword: (id, password) =>
    request('POST', `/api/v1/staff/${encodeURIComponent(id)}/password`, { password }),
  listTokens: (cursor) => request('GET', listPath('/api/v1/tokens', cursor)),
  createToken: (name, role) => request('POST', '/api/v1/tokens', { name, role }),
  revokeToken: (id) => request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`),
  listAudit: (cursor) => request('GET', listPath('/api/v1/audit', cursor)),
  listChannels: () => request('GET', '/api/v1/channels'),
  createChannel: (body) => request('POST', '/api/v1/channels', body),
  updateChannel: (id, body) => request('PATCH', `/api/v1/channels/${encodeURIComponent(id)}`, body),
  deleteChannel: (id) => request('DELETE', `/api/v1/channels/${encodeURIComponent(id)}`),
  testChannel: (id) => request('POST', `/api/v1/channels/${encodeURIComponent(id)}/test`),
  registerChannel: (id, body) => request('POST', `/api/v1/channels/${encodeURIComponent(id)}/register`, body),
  getTwilio: () => request('GET', '/api/v1/channels/twilio'),
  updateTwilio: (body) => request('PUT', '/api/v1/channels/twilio', body),
  testTwilio: () => request('POST', '/api/v1/channels/twilio/test'),
  embeddedSignup: () => request('GET', '/api/v1/channels/embedded-signup'),
  connectWithFacebook: (body) => request('POST', '/api/v1/channels/embedded-signup', body),
  syncTemplates: () => request('POST', '/api/v1/templates/sync'),
  listConversations: ({ filter, q, cursor, limit }) => request('GET', query('/api/v1/conversations', { filter, q, cursor, limit })),
  getConversation: (id) => request('GET', `/api/v1/conversations/${encodeURIComponent(id)}`),
  updateConversation: (id, change) => request('PATCH', `/api/v1/conversations/${encodeURIComponent(id)}`, change),
  listMessages: (id, cursor) => request('GET', listPath(`/api/v1/conversations/${encodeURIComponent(id)}/messages`, cursor)),
  sendMessage: (id, body) => request('POST', `/api/v1/conversations/${encodeURIComponent(id)}/messages`, body),
  uploadFile: (file) => request('POST', query('/api/v1/uploads', { filename: file.name }), file),
  markRead: (id) => request('POST', `/api/v1/conversations/${encodeURIComponent(id)}/read`),
  retryMessage: (id) => request('POST', `/api/v1/messages/${encodeURIComponent(id)}/retry`),
  findMessage: (providerId) => request('GET', query('/api/v1/messages', { provider_id: providerId })),
  listTemplates: (channelId) => request('GET', query('/api/v1/templates', { channel_id: channelId })),
  updateContact: (id, change) => request('PATCH', `/api/v1/contacts/${encodeURIComponent(id)}`, change),
  createTemplate: (body) => request('POST', '/api/v1/templates', body),
  updateTemplate: (id, body) => request('PATCH', `/api/v1/templates/${encodeURIComponent(id)}`, body),
  deleteTemplate: (id) => request('DELETE', `/api/v1/templates/${encodeURIComponent(id)}`),
  listFaqs: (cursor) => request('GET', listPath('/api/v1/knowledge/faqs', cursor)),
  createFaq: (body) => request('POST', '/api/v1/knowledge/faqs', body),
  updateFaq: (id, body) => request('PUT', `/api/v1/knowledge/faqs/${encodeURIComponent(id)}`, body),
  deleteFaq: (id) => request('DELETE', `/api/v1/knowledge/faqs/${encodeURIComponent(id)}`),
  listDocuments: (cursor) => request('GET', listPath('/api/v1/knowledge/documents', cursor)),
  createDocument: (body) => request('POST', '/api/v1/knowledge/documents', body),
  updateDocument: (id, body) => request('PUT', `/api/v1/knowledge/documents/${encodeURIComponent(id)}`, body),
  deleteDocument: (id) => request('DELETE', `/api/v1/knowledge/documents/${encodeURIComponent(id)}`),
  searchKnowledge: (body) => request('POST', '/api/v1/knowledge/search', body),
  knowledgeStatus: () => request('GET', '/api/v1/knowledge/status'),
  listServices: () => request('GET', '/api/v1/services'),
  createService: (body) => request('POST', '/api/v1/services', body),
  updateService: (id, body) => request('PATCH', `/api/v1/services/${encodeURIComponent(id)}`, body),
  deleteService: (id) => request('DELETE', `/api/v1/services/${encodeURIComponent(id)}`),
  listAvailability: () => request('GET', '/api/v1/availability'),
  updateAvailability: (staffId, body) => request('PUT', `/api/v1/availability/${encodeURIComponent(staffId)}`, body),
  getCalendarSettings: () => request('GET', '/api/v1/calendar/settings'),
  updateCalendarSettings: (body) => request('PUT', '/api/v1/calendar/settings', body),
  getGoogleCalendar: () => request('GET', '/api/v1/calendar/google'),
  updateGoogleCalendar: (body) => request('PUT', '/api/v1/calendar/google', body),
  connectGoogleCalendar: () => request('GET', '/api/v1/calendar/google/connect'),
  disconnectGoogleCalendar: () => request('POST', '/api/v1/calendar/google/disconnect'),
  syncGoogleCalendar: () => request('POST', '/api/v1/calendar/google/sync'),
  listSlots: ({ serviceId, staffId, from, to, limit }) =>
    request('GET', query('/api/v1/slots', { service_id: serviceId, staff_id: staffId, from, to, limit })),
  listAppointments: ({ from, to, staffId, status }) =>
    request('GET', query('/api/v1/appointments', { from, to, staff_id: staffId, status })),
  book: (body) => request('POST', '/api/v1/appointments', body),
  updateAppointment: (id, change) => request('PATCH', `/api/v1/appointments/${encodeURIComponent(id)}`, change),
  cancelAppointment: (id, reason) => request('POST', `/api/v1/appointments/${encodeURIComponent(id)}/cancel`, { reason: reason || null }),
  contactAppointments: (id) => request('GET', `/api/v1/contacts/${encodeURIComponent(id)}/appointments`),
  getAppointment: (id) => request('GET', `/api/v1/appointments/${encodeURIComponent(id)}`),
  listCalendarFeeds: () => request('GET', '/api/v1/calendar-feeds'),
  createCalendarFeed: (staffId) => request('POST', '/api/v1/calendar-feeds', { staff_id: staffId }),
  revokeCalendarFeed: (staffId) => request('DELETE', `/api/v1/calendar-feeds/${encodeURIComponent(staffId)}`),
};

/** The import URL for a file and its options (POST /api/v1/knowledge/import; the body is the file). */
export function knowledgeImportPath({ filename, format, language, section }) {
  return query('/api/v1/knowledge/import', { filename, format, language, section });
}

/** An ApiError from a non-2xx answer's status and body text (for requests made without fetch). */
export function apiErrorFrom(status, text) {
  let data = null;
  try { data = JSON.parse(text); } catch { data = null; }
  const error = (data && data.error) || {};
  return new ApiError(status, error.code || `http_${status}`, error.message || t('errors.unknown'), error.field || null);
}

function listPath(path, cursor) {
  return cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path;
}

/** `path` with the given query parameters; empty ones are left out. */
function query(path, params) {
  const pairs = Object.entries(params).filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (pairs.length === 0) return path;
  return `${path}?${pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}

// Settings → API tokens (Admin): create (the secret is shown once, with a copy button), list,
// revoke.

import { api } from '../api.js';
import { confirmDialog } from '../dialogs.js';
import { h } from '../dom.js';
import { busy, copyButton, field, messageArea, roleOptions, showError, submit } from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { cell, pagedList } from './settings.js';

export function tokensPage() {
  const message = messageArea();
  const body = h('tbody');
  const secretBox = h('div', { class: 'secret-box', hidden: true });
  const list = pagedList({ load: api.listTokens, container: body, message, emptyText: t('tokens.empty'), renderRow: row });

  function row(token) {
    const revoke = h('button', {
      type: 'button', class: 'button button-small button-danger',
      onclick: async () => {
        if (!(await confirmDialog(t('tokens.revoke_title', { name: token.name }), t('tokens.revoke_warning'), t('tokens.revoke')))) return;
        message.clear();
        try {
          await api.revokeToken(token.id);
          tr.remove();
          message.success(t('tokens.revoked', { name: token.name }));
          list.empty.hidden = body.children.length > 0;
        } catch (error) {
          message.error(error.display);
        }
      },
    }, t('tokens.revoke'), h('span', { class: 'visually-hidden' }, ` ${token.name}`));
    const tr = h('tr', {},
      cell(t('tokens.name'), token.name),
      cell(t('staff.role'), t(`role.${token.role}`)),
      cell(t('tokens.prefix'), h('code', {}, `${token.prefix}…`)),
      cell(t('staff.created'), formatDate(token.created_at)),
      cell(t('tokens.last_used'), token.last_used_at ? formatDate(token.last_used_at) : t('tokens.never_used')),
      cell(t('staff.actions'), revoke));
    return tr;
  }

  function showSecret(name, secret) {
    const code = h('code', { class: 'secret', tabindex: '0' }, secret);
    const status = h('span', { class: 'muted', role: 'status' });
    const copy = copyButton(secret, code, status);
    secretBox.replaceChildren(
      h('h3', {}, t('tokens.secret_title', { name })),
      h('p', {}, t('tokens.secret_once')),
      h('div', { class: 'secret-row' }, code, copy), status,
      h('button', { type: 'button', class: 'button', onclick: () => { secretBox.hidden = true; secretBox.replaceChildren(); } }, t('tokens.done')));
    secretBox.hidden = false;
    code.focus();
  }

  const name = field({ label: t('tokens.name'), name: 'name', autocomplete: 'off', hint: t('tokens.name_hint') });
  const role = field({ label: t('staff.role'), name: 'role', options: roleOptions(), value: 'operator' });
  const formMessage = messageArea();
  const form = h('form', { class: 'form form-grid', novalidate: true, 'aria-labelledby': 'create-token-heading' },
    formMessage.el, name.wrap, role.wrap, h('div', { class: 'actions' }, submit(t('tokens.create_submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formMessage.clear();
    if (!name.input.value.trim()) { name.setError(t('errors.required')); name.input.focus(); return; }
    await busy(form, async () => {
      try {
        const created = await api.createToken(name.input.value.trim(), role.input.value);
        form.reset();
        role.input.value = 'operator';
        showSecret(created.token.name, created.secret);
        list.reload();
      } catch (error) {
        showError(error, formMessage, { name, role });
      }
    });
  });

  const headers = [t('tokens.name'), t('staff.role'), t('tokens.prefix'), t('staff.created'), t('tokens.last_used'), t('staff.actions')];
  list.reload();
  return {
    title: t('settings.tokens'),
    node: h('div', { class: 'settings-page' },
      h('h2', {}, t('settings.tokens')),
      h('p', { class: 'muted' }, t('tokens.intro')),
      h('section', { class: 'card' }, h('h3', { id: 'create-token-heading' }, t('tokens.create_title')), form),
      secretBox,
      message.el,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table responsive-table' },
        h('caption', { class: 'visually-hidden' }, t('settings.tokens')),
        h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))), body)),
      list.empty, list.more),
  };
}

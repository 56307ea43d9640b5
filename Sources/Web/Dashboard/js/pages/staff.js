// Settings → Staff. Admins add people, change roles, disable/enable and reset passwords;
// Managers (settings: view) see the same list read-only.

import { can } from '../access.js';
import { api } from '../api.js';
import { confirmDialog, resetPasswordDialog } from '../dialogs.js';
import { h } from '../dom.js';
import { busy, field, messageArea, passwordTooShort, roleOptions, showError, submit } from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { live } from '../live.js';
import { cell, pagedList } from './settings.js';

export function staffPage(context) {
  const canEdit = can(context.session.permissions, 'settings', 'full');
  const message = messageArea();
  const body = h('tbody');
  const list = pagedList({
    load: api.listStaff, container: body, message, emptyText: t('staff.empty'),
    renderRow: (member) => row(member),
  });

  function row(member) {
    const tr = h('tr', { 'data-email': member.email, 'data-id': member.id });
    fill(tr, member);
    return tr;
  }

  function fill(tr, member) {
    const isSelf = member.id === context.session.staff.id;
    const status = h('span', { class: `badge ${member.disabled ? 'badge-off' : 'badge-on'}` },
      t(member.disabled ? 'staff.disabled' : 'staff.active'));
    let roleCell = t(`role.${member.role}`);
    let actions = null;
    if (canEdit) {
      const roleSelect = h('select', { 'aria-label': t('staff.role_for', { name: member.name }) },
        roleOptions().map(([value, text]) => h('option', { value, selected: value === member.role }, text)));
      roleSelect.addEventListener('change', () => update(tr, member, { role: roleSelect.value }, roleSelect));
      roleCell = roleSelect;
      actions = h('div', { class: 'row-actions' },
        h('button', {
          type: 'button', class: 'button button-small',
          onclick: async () => {
            const disabling = !member.disabled;
            if (disabling && !(await confirmDialog(t('staff.disable_title', { name: member.name }),
              t(isSelf ? 'staff.disable_self_warning' : 'staff.disable_warning'), t('staff.disable')))) return;
            update(tr, member, { disabled: disabling });
          },
        }, t(member.disabled ? 'staff.enable' : 'staff.disable'), h('span', { class: 'visually-hidden' }, ` ${member.name}`)),
        h('button', { type: 'button', class: 'button button-small', onclick: () => resetPasswordDialog(member) },
          t('staff.reset'), h('span', { class: 'visually-hidden' }, ` ${member.name}`)));
    }
    tr.replaceChildren(
      cell(t('staff.name'), member.name, isSelf ? h('span', { class: 'muted' }, ` ${t('staff.you')}`) : null),
      cell(t('login.email'), member.email),
      cell(t('staff.role'), roleCell),
      cell(t('staff.status'), status),
      cell(t('staff.created'), formatDate(member.created_at)),
      canEdit ? cell(t('staff.actions'), actions) : null);
  }

  async function update(tr, member, change, control) {
    message.clear();
    try {
      const updated = await api.updateStaff(member.id, change);
      fill(tr, updated);
      message.success(t('staff.updated', { name: updated.name }));
    } catch (error) {
      message.error(error.display);
      if (control) control.value = member.role;
    }
  }

  const headers = [t('staff.name'), t('login.email'), t('staff.role'), t('staff.status'), t('staff.created')]
    .concat(canEdit ? [t('staff.actions')] : []);
  const table = h('table', { class: 'table responsive-table' },
    h('caption', { class: 'visually-hidden' }, t('settings.staff')),
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))), body);

  // Changes made elsewhere (another admin, another tab) arrive as live events: a changed
  // member's row is redrawn in place; a new member reloads the list, which is in creation order.
  const unsubscribe = live.subscribe((state, event) => {
    if (!event || !event.data || typeof event.data.id !== 'string') return;
    if (event.type === 'staff.updated') {
      const tr = [...body.children].find((candidate) => candidate.dataset.id === event.data.id);
      if (tr) fill(tr, event.data);
    } else if (event.type === 'staff.created') {
      if (![...body.children].some((candidate) => candidate.dataset.id === event.data.id)) list.reload();
    }
  });

  list.reload();
  return {
    title: t('settings.staff'),
    cleanup: unsubscribe,
    node: h('div', { class: 'settings-page' },
      h('h2', {}, t('settings.staff')),
      canEdit ? null : h('p', { class: 'muted' }, t('staff.read_only')),
      message.el,
      canEdit ? addForm(message, list) : null,
      h('div', { class: 'table-wrap' }, table), list.empty, list.more),
  };
}

function addForm(pageMessage, list) {
  const name = field({ label: t('staff.name'), name: 'name', autocomplete: 'off' });
  const email = field({ label: t('login.email'), name: 'email', type: 'email', autocomplete: 'off' });
  const role = field({ label: t('staff.role'), name: 'role', options: roleOptions(), value: 'agent' });
  const password = field({ label: t('staff.initial_password'), name: 'password', type: 'password', autocomplete: 'new-password', hint: t('password.hint') });
  const message = messageArea();
  const form = h('form', { class: 'form form-grid', novalidate: true, 'aria-labelledby': 'add-staff-heading' },
    message.el, name.wrap, email.wrap, role.wrap, password.wrap, h('div', { class: 'actions' }, submit(t('staff.add_submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.clear();
    pageMessage.clear();
    for (const f of [name, email, password]) {
      if (!f.input.value.trim()) { f.setError(t('errors.required')); f.input.focus(); return; }
    }
    if (passwordTooShort(password.input.value)) { password.setError(t('errors.weak_password')); password.input.focus(); return; }
    await busy(form, async () => {
      try {
        const member = await api.addStaff({ name: name.input.value.trim(), email: email.input.value.trim(), role: role.input.value, password: password.input.value });
        form.reset();
        role.input.value = 'agent';
        message.success(t('staff.added', { name: member.name }));
        list.reload();
      } catch (error) {
        showError(error, message, { name, email, role, password });
      }
    });
  });
  return h('details', { class: 'card add-card' },
    h('summary', { id: 'add-staff-heading' }, t('staff.add_title')), form);
}

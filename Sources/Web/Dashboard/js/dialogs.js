// Modal dialogs on the native <dialog> element: it traps focus, closes on Escape and returns
// focus to the opener, so keyboard use works without extra code.

import { api } from './api.js';
import { h, uid } from './dom.js';
import { busy, field, messageArea, passwordTooShort, showError, submit } from './forms.js';
import { t } from './i18n.js';

/** Opens a dialog with a title and a form body; returns { dialog, close }. */
export function openDialog(title, build) {
  const opener = document.activeElement;
  const titleId = uid('dialog-title');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
  const close = () => dialog.close();
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  dialog.append(h('h2', { id: titleId }, title), ...build(close));
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close };
}

function cancelButton(close) {
  return h('button', { type: 'button', class: 'button', onclick: close }, t('common.cancel'));
}

/** Change your own password (ends your other sessions on the server). */
export function changePasswordDialog() {
  openDialog(t('password.change_title'), (close) => {
    const current = field({ label: t('password.current'), name: 'current_password', type: 'password', autocomplete: 'current-password' });
    const next = field({ label: t('password.new'), name: 'new_password', type: 'password', autocomplete: 'new-password', hint: t('password.hint') });
    const confirm = field({ label: t('password.confirm'), name: 'confirm', type: 'password', autocomplete: 'new-password' });
    const message = messageArea();
    const form = h('form', { class: 'form', novalidate: true }, message.el, current.wrap, next.wrap, confirm.wrap,
      h('div', { class: 'actions' }, cancelButton(close), submit(t('password.change_submit'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.clear();
      if (passwordTooShort(next.input.value)) { next.setError(t('errors.weak_password')); next.input.focus(); return; }
      if (next.input.value !== confirm.input.value) { confirm.setError(t('password.mismatch')); confirm.input.focus(); return; }
      await busy(form, async () => {
        try {
          await api.changePassword(current.input.value, next.input.value);
          form.reset();
          message.success(t('password.changed'));
        } catch (error) {
          showError(error, message, { current_password: current, new_password: next });
        }
      });
    });
    return [form];
  });
}

/** Asks before a destructive action; resolves true when confirmed. */
export function confirmDialog(title, text, confirmLabel) {
  return new Promise((resolve) => {
    let answered = false;
    const { dialog } = openDialog(title, (close) => [
      h('p', {}, text),
      h('div', { class: 'actions' },
        cancelButton(close),
        h('button', { type: 'button', class: 'button button-danger', onclick: () => { answered = true; close(); } }, confirmLabel)),
    ]);
    dialog.addEventListener('close', () => resolve(answered));
  });
}

/** An Admin sets a new password for someone else. */
export function resetPasswordDialog(member) {
  openDialog(t('staff.reset_title', { name: member.name }), (close) => {
    const password = field({ label: t('password.new'), name: 'password', type: 'password', autocomplete: 'new-password', hint: t('password.hint') });
    const message = messageArea();
    const form = h('form', { class: 'form', novalidate: true }, h('p', { class: 'muted' }, t('staff.reset_note')), message.el,
      password.wrap, h('div', { class: 'actions' }, cancelButton(close), submit(t('staff.reset_submit'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.clear();
      if (passwordTooShort(password.input.value)) { password.setError(t('errors.weak_password')); password.input.focus(); return; }
      await busy(form, async () => {
        try {
          await api.resetPassword(member.id, password.input.value);
          form.reset();
          message.success(t('staff.reset_done', { name: member.name }));
        } catch (error) {
          showError(error, message, { password });
        }
      });
    });
    return [form];
  });
}

/** Asks for the signed-in member's own password before a sensitive change; resolves true once
 *  the server accepted it (the caller then sends the change again), false when cancelled. */
export function confirmPasswordDialog() {
  return new Promise((resolve) => {
    let confirmed = false;
    const { dialog } = openDialog(t('reauth.title'), (close) => {
      const password = field({ label: t('reauth.password'), name: 'password', type: 'password', autocomplete: 'current-password' });
      const message = messageArea();
      const form = h('form', { class: 'form', novalidate: true }, h('p', { class: 'muted' }, t('reauth.note')), message.el,
        password.wrap, h('div', { class: 'actions' }, cancelButton(close), submit(t('reauth.submit'))));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        message.clear();
        if (!password.input.value) { password.setError(t('errors.required')); password.input.focus(); return; }
        await busy(form, async () => {
          try {
            await api.confirmPassword(password.input.value);
            confirmed = true;
            close();
          } catch (error) {
            if (error.code === 'invalid_credentials') { password.setError(t('reauth.wrong')); password.input.focus(); return; }
            showError(error, message, { password });
          }
        });
      });
      return [form];
    });
    dialog.addEventListener('close', () => resolve(confirmed));
  });
}

// What a failed call means, in the user's language: a sentence for the API's error code, and the
// Control Center's own sentence (in English) as the detail.
import { ApiError } from './api.js';
import { has, t } from './i18n.js';
import { h } from './dom.js';

/** The label of an input field the API named in details.field, e.g. standby.port. */
export function fieldLabel(field) {
  const key = `field.${field}`;
  return has(key) ? t(key) : field;
}

/** {text, detail} for any failure: an ApiError or anything else. */
export function describe(error) {
  if (!(error instanceof ApiError)) {
    return { text: t('error.unexpected'), detail: null };
  }
  const key = `error.code.${error.code}`;
  const field = error.details?.field;
  let text;
  if (has(key)) {
    text = t(key, { field: field ? fieldLabel(field) : '' });
  } else if (error.status >= 500) {
    text = t('error.code.internal_error');
  } else {
    text = t('error.unknown', { status: error.status });
  }
  const detail = error.message && error.message !== error.code ? error.message : null;
  return { text, detail };
}

/** A message box for {@code error}: the sentence, and the detail in smaller type. */
export function errorBox(error, props = {}) {
  const { text, detail } = describe(error);
  return h(
    'div.message.message-error',
    { role: 'alert', ...props },
    h('p.message-text', {}, text),
    detail ? h('p.message-detail', {}, detail) : null,
  );
}

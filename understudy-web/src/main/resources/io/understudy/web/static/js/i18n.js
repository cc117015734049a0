// Messages in the user's language. The bundles (i18n/en.json, i18n/ja.json) hold every text the
// UI shows; t(key, params) looks one up and fills its {placeholders}. Until a user has chosen a
// language, the UI follows the browser's (navigator.languages).

export const LANGUAGES = ['en', 'ja'];

const bundles = {};
let current = 'en';

/** 'ja' when the browser prefers Japanese to English, else 'en'. */
export function browserLanguage() {
  const preferred = navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = String(tag || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

async function load(language) {
  if (!bundles[language]) {
    const response = await fetch(new URL(`i18n/${language}.json`, document.baseURI), { cache: 'no-cache' });
    if (!response.ok) throw new Error(`cannot load the ${language} messages: HTTP ${response.status}`);
    bundles[language] = await response.json();
  }
  return bundles[language];
}

/** Loads and applies {@code language}; the English bundle is always loaded too, as the fallback. */
export async function setLanguage(language) {
  const wanted = LANGUAGES.includes(language) ? language : 'en';
  await load('en');
  await load(wanted);
  current = wanted;
  document.documentElement.lang = wanted;
  translateStatic(document);
}

export function language() {
  return current;
}

/** Whether the bundle has {@code key} (in the current language or English). */
export function has(key) {
  return Boolean((bundles[current] && key in bundles[current]) || (bundles.en && key in bundles.en));
}

/** The message {@code key}, its {name} placeholders replaced by {@code params}. */
export function t(key, params = {}) {
  const text = bundles[current]?.[key] ?? bundles.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** Applies data-i18n (text), data-i18n-placeholder, data-i18n-title and data-i18n-aria-label below {@code root}. */
export function translateStatic(root) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = t(element.dataset.i18nPlaceholder);
  }
  for (const element of root.querySelectorAll('[data-i18n-title]')) {
    element.title = t(element.dataset.i18nTitle);
  }
  for (const element of root.querySelectorAll('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nAriaLabel));
  }
  document.title = t('app.title');
}

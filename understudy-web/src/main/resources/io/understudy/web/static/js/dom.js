// Building the page: every text goes in as text (textContent), never as HTML.

/**
 * An element: h('div.card.wide', {dataset: {x: 1}, onclick}, child, ...). Children may be
 * strings, numbers, elements, arrays, or null/false (skipped).
 */
export function h(spec, props = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const element = document.createElement(tag || 'div');
  if (classes.length > 0) element.className = classes.join(' ');
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (key === 'class') {
      element.className = [element.className, value].filter(Boolean).join(' ');
    } else if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      element.textContent = value;
    } else if (key in element && typeof value !== 'string') {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(element, child);
    } else if (child instanceof Node) {
      element.append(child);
    } else {
      element.append(document.createTextNode(String(child)));
    }
  }
}

/** A coloured pill: kind is good, warn, bad, neutral, primary or info. */
export function badge(label, kind, props = {}) {
  return h(`span.badge.badge-${kind}`, props, label);
}

/** Replaces the children of {@code element}. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A labelled form field: label, control, hint and a place for its error. */
export function field(labelText, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const error = h('p.field-error', { role: 'alert', hidden: true });
  const wrap = h('div.field', {}, h('label', { for: id }, labelText), control, hint ? h('p.hint', {}, hint) : null, error);
  wrap.showError = (message) => {
    error.textContent = message || '';
    error.hidden = !message;
    control.classList.toggle('invalid', Boolean(message));
    if (message) control.focus();
  };
  return wrap;
}

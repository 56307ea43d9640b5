// DOM helpers. Text is always inserted as text nodes (textContent / append(string)); nothing in
// the dashboard assigns innerHTML, so names and messages typed by people can never become markup.

/**
 * Creates an element. `attrs`: `class`, `text`, `on<event>` handlers, booleans (true → present),
 * anything else as an attribute. Children: nodes or strings (strings become text nodes).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An icon from the sprite /assets/icons.svg; decorative, so hidden from assistive technology. */
export function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute('href', `/assets/icons.svg#${name}`);
  svg.append(use);
  return svg;
}

/** Replaces all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let idCounter = 0;
/** A unique element id, for label/aria wiring. */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Initials for an avatar: first letter or digit of the first and last words, so "<b>Bia</b> Lima"
 *  gives "BL" (the header's profile button and the Chats list). */
export function initials(name) {
  const words = String(name || '').split(/\s+/)
    .map((word) => (word.match(/[\p{L}\p{N}]/gu) || []).join('')).filter(Boolean);
  const chosen = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return chosen.map((word) => [...word][0].toUpperCase()).join('') || '?';
}

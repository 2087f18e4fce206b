// dom.js — tiny DOM helpers. Everything is built with textContent and properties,
// never with innerHTML, so data can never become markup (and the CSP stays strict).

/**
 * Create an element.
 *
 * `attrs` keys: `class` (string), `dataset` (object), `on<Event>` (listener),
 * boolean `true` sets an empty attribute, `false`/`null`/`undefined` skip it,
 * and known DOM properties (`value`, `checked`, `disabled`, `selected`, `hidden`)
 * are assigned as properties. Children may be nodes, strings, numbers, arrays or null.
 *
 * @param {string} tag element name, e.g. "button"
 * @param {Object<string, *>|null} [attrs] attributes, properties and listeners
 * @param {...*} children child nodes or text
 * @returns {HTMLElement} the new element
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (PROPS.has(key)) {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'readOnly', 'required']);

/**
 * Append children (nodes, strings, numbers, nested arrays; null is skipped).
 *
 * @param {Node} parent node to append to
 * @param {Array<*>|*} children what to append
 * @returns {Node} the parent
 */
export function append(parent, children) {
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * Find the first element matching a selector.
 *
 * @param {string} selector CSS selector
 * @param {ParentNode} [root] where to search (default: document)
 * @returns {HTMLElement|null} the element, or null
 */
export function qs(selector, root = document) {
  return root.querySelector(selector);
}

/**
 * Find all elements matching a selector.
 *
 * @param {string} selector CSS selector
 * @param {ParentNode} [root] where to search (default: document)
 * @returns {HTMLElement[]} the elements
 */
export function qsa(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

/**
 * Remove all children of a node.
 *
 * @param {Node} node the node to empty
 * @returns {Node} the node
 */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

let idCounter = 0;

/**
 * Make a document-unique id for label/input pairs.
 *
 * @param {string} prefix readable prefix
 * @returns {string} a fresh id
 */
export function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

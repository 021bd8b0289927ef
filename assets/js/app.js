/* Zuwei 组委 — small enhancements; every page works without this file. */
(function () {
  'use strict';
  var en = /^en/i.test(document.documentElement.lang || '');

  /* Returns the direct <ul> child of a <details>, creating it when absent. */
  function childList(d) {
    for (var i = 0; i < d.children.length; i++) {
      if (d.children[i].tagName === 'UL') return d.children[i];
    }
    return d.appendChild(document.createElement('ul'));
  }

  /* Loads a tree node's children from data-src the first time it opens.
     Only same-origin addresses are fetched; on failure the node can retry. */
  function loadBranch(d) {
    var src = d.getAttribute('data-src');
    if (!d.open || !src || d.hasAttribute('data-loaded')) return;
    var url;
    try { url = new URL(src, location.href); } catch (e) { return; }
    if (url.origin !== location.origin) return;
    var ul = childList(d);
    d.setAttribute('data-loaded', '');
    d.setAttribute('aria-busy', 'true');
    fetch(url.href, { headers: { 'Accept': 'text/html-fragment' }, credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        ul.innerHTML = html;
        d.removeAttribute('aria-busy');
      })
      .catch(function () {
        d.removeAttribute('data-loaded');
        d.removeAttribute('aria-busy');
        var li = document.createElement('li');
        li.className = 'tree-error';
        li.textContent = en ? 'Could not load. Close and open again to retry.'
                            : '加载失败，请收起后重新展开重试。';
        ul.textContent = '';
        ul.appendChild(li);
      });
  }

  /* toggle does not bubble, so listen in the capture phase: this also
     covers branches that were themselves loaded later. */
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d && d.tagName === 'DETAILS') loadBranch(d);
  }, true);

  /* Asks for confirmation before a form with data-confirm (on the form or
     on the button that submitted it) is sent. */
  document.addEventListener('submit', function (e) {
    var f = e.target, b = e.submitter;
    var msg = (b && b.getAttribute && b.getAttribute('data-confirm')) ||
              (f && f.getAttribute && f.getAttribute('data-confirm'));
    if (msg && !window.confirm(msg)) e.preventDefault();
  });

  /* Hides the rows of the table named by input[data-filter] that do not
     contain every word typed (case-insensitive). */
  function filterRows(input) {
    var table;
    try { table = document.querySelector(input.getAttribute('data-filter')); } catch (e) { return; }
    if (!table || !table.tBodies) return;
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (var t = 0; t < table.tBodies.length; t++) {
      var rows = table.tBodies[t].rows;
      for (var i = 0; i < rows.length; i++) {
        var text = rows[i].textContent.toLowerCase();
        rows[i].hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      }
    }
  }

  document.addEventListener('input', function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute('data-filter')) filterRows(el);
  });

  /* Applies state the browser restored (open branches, typed filters). */
  function init() {
    var i, list = document.querySelectorAll('details[data-src][open]');
    for (i = 0; i < list.length; i++) loadBranch(list[i]);
    list = document.querySelectorAll('input[data-filter]');
    for (i = 0; i < list.length; i++) if (list[i].value) filterRows(list[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();

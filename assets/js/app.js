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

  /* The birth date and sex a resident ID number (GB 11643) holds, or null unless it has 18
     characters and the right check character. */
  function idnumFacts(v) {
    if (!/^\d{17}[\dXx]$/.test(v)) return null;
    var w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], sum = 0;
    for (var i = 0; i < 17; i++) sum += (v.charCodeAt(i) - 48) * w[i];
    if ('10X98765432'.charAt(sum % 11) !== v.charAt(17).toUpperCase()) return null;
    return { birth: v.substr(6, 4) + '-' + v.substr(10, 2) + '-' + v.substr(12, 2),
             sex: (v.charCodeAt(16) - 48) % 2 ? 'M' : 'F' };
  }

  /* Fills the form's empty birth date and unchosen sex from the number typed into
     input[data-idnum], as the server does on saving; what the user chose stays. */
  function fillFromIdnum(input) {
    var f = input.form, facts = idnumFacts(input.value.trim()), i;
    if (!f || !facts) return;
    var birth = f.elements.namedItem('birth');
    if (birth && !birth.value) birth.value = facts.birth;   /* a date field refuses an impossible date */
    var sex = f.querySelectorAll('input[name="sex"]');
    for (i = 0; i < sex.length; i++) if (sex[i].checked) return;
    for (i = 0; i < sex.length; i++) sex[i].checked = sex[i].value === facts.sex;
  }

  document.addEventListener('input', function (e) {
    var el = e.target;
    if (!el || !el.hasAttribute) return;
    if (el.hasAttribute('data-filter')) filterRows(el);
    if (el.hasAttribute('data-idnum')) fillFromIdnum(el);
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

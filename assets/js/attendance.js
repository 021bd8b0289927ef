/* Zuwei 组委 — live counts while ticking attendance (GET /meetings/:id/attendance).
   Progressive enhancement: without this file the form posts plain checkboxes and the
   counts are shown after saving. With it, the "present" figure and the quorum badge
   follow every tick, and a household's box ticks all its members. */
(function () {
  'use strict';
  var form = document.querySelector('form[data-attendance]');
  var box = document.querySelector('[data-quorum-box]');
  if (!form || !box) return;
  var en = /^en/i.test(document.documentElement.lang || '');
  var basis = box.getAttribute('data-basis');
  var quorum = parseInt(box.getAttribute('data-quorum'), 10) || 0;
  var shown = box.querySelector('[data-present]');
  var state = document.querySelector('[data-quorum-state]');
  var key = basis === 'adults' ? 'data-adult' : basis === 'reps' ? 'data-rep' : 'data-member';

  /* Counts the ticked people who count for the meeting's quorum basis. */
  function count() {
    var n = 0, list = form.querySelectorAll('input[name=present]');
    for (var i = 0; i < list.length; i++) if (list[i].checked && list[i].getAttribute(key) === '1') n++;
    return n;
  }

  function render() {
    var n = count();
    shown.textContent = String(n);
    var ok = n >= quorum && quorum > 0;
    var badge = document.createElement('span');
    badge.className = 'badge ' + (ok ? 'ok' : 'err');
    badge.textContent = ok ? (en ? 'Quorum met' : '已达到法定人数')
                           : (en ? 'Quorum not met: ' + (quorum - n) + ' more needed' : '未达到法定人数，还差 ' + (quorum - n) + ' 人');
    state.textContent = '';
    state.appendChild(badge);
  }

  /* A household's box ticks or clears its members; the box itself is then not needed in the
     post (the members are), so it is cleared to keep one source of truth. */
  form.addEventListener('change', function (e) {
    var el = e.target;
    if (el.hasAttribute('data-household')) {
      var hh = el.getAttribute('data-household');
      var members = form.querySelectorAll('input[name=present][data-hh="' + hh + '"]');
      for (var i = 0; i < members.length; i++) members[i].checked = el.checked;
      el.checked = false;
    }
    render();
  });
  render();
})();

// prescreen review pages: keyboard shortcuts. The pages work without this
// script; it only adds keys. Loaded from /static/ (the CSP allows no inline script).
(function () {
  'use strict';

  function typing(t) {
    return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  }

  function follow(id) {
    var a = document.getElementById(id);
    if (a && a.href) { window.location.assign(a.href); return true; }
    return false;
  }

  // Queue page: j/k move a selection, Enter or o opens it.
  var rows = Array.prototype.slice.call(document.querySelectorAll('#queue .row'));
  var sel = rows.length ? 0 : -1;
  function select(i) {
    if (!rows.length) return;
    sel = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, k) { r.classList.toggle('selected', k === sel); });
    rows[sel].scrollIntoView({ block: 'nearest' });
  }
  if (rows.length) select(0);

  // The help box, built with DOM calls (no HTML strings).
  var help = document.createElement('div');
  help.className = 'help';
  help.hidden = true;
  [['j / k', 'next / previous'], ['a', 'approve'], ['r', 'reject: write the reason, Ctrl+Enter sends'],
   ['o', 'show / hide findings'], ['Enter', 'open (queue)'], ['?', 'this help']].forEach(function (p) {
    var line = document.createElement('div');
    var k = document.createElement('kbd');
    k.textContent = p[0];
    line.appendChild(k);
    line.appendChild(document.createTextNode(' ' + p[1]));
    help.appendChild(line);
  });
  document.body.appendChild(help);

  // Choosing a preset reason fills the text the customer will read.
  var preset = document.getElementById('preset');
  var reason = document.getElementById('reason');
  if (preset && reason) {
    preset.addEventListener('change', function () {
      var opt = preset.options[preset.selectedIndex];
      if (preset.value) reason.value = opt.textContent.replace(/^\u2605 /, '');
    });
  }

  document.addEventListener('keydown', function (e) {
    if (e.target === reason && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      var rf = document.getElementById('reject-form');
      if (rf) { e.preventDefault(); rf.requestSubmit ? rf.requestSubmit() : rf.submit(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    var handled = true;
    switch (e.key) {
      case 'j':
        if (rows.length) select(sel + 1); else handled = follow('next');
        break;
      case 'k':
        if (rows.length) select(sel - 1); else handled = follow('prev');
        break;
      case 'Enter':
        if (rows.length && sel >= 0) rows[sel].querySelector('a.open').click(); else handled = false;
        break;
      case 'a': {
        var f = document.getElementById('approve-form');
        if (f) f.requestSubmit ? f.requestSubmit() : f.submit(); else handled = false;
        break;
      }
      case 'r':
        if (reason) { reason.focus(); reason.scrollIntoView({ block: 'center' }); } else handled = false;
        break;
      case 'o': {
        var t = document.getElementById('ov-toggle');
        if (t) t.checked = !t.checked;
        else if (rows.length && sel >= 0) rows[sel].querySelector('a.open').click();
        else handled = false;
        break;
      }
      case '?':
        help.hidden = !help.hidden;
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  });
})();

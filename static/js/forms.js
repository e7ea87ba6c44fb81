/* Two helpers for the portal's forms; without JavaScript the forms work as they are.

   1. A busy-address check ([data-challenge], accounts/_challenge.html): a worker solves the proof
      of work while the person fills in the form; a submit waits for it and then goes on by itself.
      If the worker cannot run, the question stays visible instead.
   2. Drafts (form[data-draft]): what was typed is kept in this tab's sessionStorage when the form is
      sent, and put back when the same form opens empty again (after an error page, a lost
      connection, or the database being down). The thank-you page ([data-draft-forget]) forgets it.
      Nothing of it is sent to or kept by the server; closing the tab deletes it. A disabled field
      (see 3) is kept empty in the draft.
   3. [data-hidden-when-checked="<checkbox id>"]: while that checkbox is ticked, the element is
      hidden and its fields disabled, so the browser does not send them (the anonymous reporter's
      name, e-mail and phone). Without JavaScript the element stays and says so itself. */
(function () {
  'use strict';

  function text(element, name) {
    return element.getAttribute('data-' + name) || '';
  }

  document.querySelectorAll('[data-challenge]').forEach(function (box) {
    var form = box.closest('form');
    var solution = box.querySelector('input[name="challenge_solution"]');
    var question = box.querySelector('[data-challenge-question]');
    var answer = box.querySelector('input[name="challenge_answer"]');
    var status = box.querySelector('[data-challenge-status]');
    var waiting = false;
    var worker;
    if (!form || !window.Worker) return;
    try {
      worker = new Worker(text(box, 'challenge-worker'));
    } catch (error) {
      return;
    }
    function fallBack() {
      question.hidden = false;
      status.textContent = text(box, 'msg-failed');
      if (waiting) answer.focus();
      waiting = false;
    }
    question.hidden = true;
    status.textContent = text(box, 'msg-busy');
    var timer = window.setTimeout(fallBack, 30000);
    worker.onerror = function () {
      window.clearTimeout(timer);
      fallBack();
    };
    worker.onmessage = function (event) {
      window.clearTimeout(timer);
      solution.value = event.data.nonce;
      question.hidden = true;
      status.textContent = text(box, 'msg-done');
      if (waiting) {
        waiting = false;
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    };
    worker.postMessage({ token: text(box, 'challenge-token'), bits: text(box, 'challenge-bits') });
    form.addEventListener('submit', function (event) {
      if (solution.value || (!question.hidden && answer.value)) return;
      event.preventDefault();
      waiting = true;
      status.textContent = text(box, 'msg-wait');
    });
  });

  var SKIP = /^(csrfmiddlewaretoken|challenge_token|challenge_solution|challenge_answer|website)$/;

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIP.test(field.name) && ['file', 'submit', 'button', 'password'].indexOf(field.type) < 0;
    });
  }

  function draftSave(form, key) {
    var values = {};
    draftFields(form).forEach(function (field, index) {
      var id = field.name + '#' + index;
      if (field.disabled) values[id] = field.type === 'checkbox' || field.type === 'radio' ? false : '';
      else if (field.type === 'checkbox' || field.type === 'radio') values[id] = field.checked;
      else if (field.type === 'select-multiple') {
        values[id] = Array.prototype.filter.call(field.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else values[id] = field.value;
    });
    try { window.sessionStorage.setItem(key, JSON.stringify(values)); } catch (error) { /* storage full or off */ }
  }

  function draftRestore(form, key) {
    var stored;
    try { stored = JSON.parse(window.sessionStorage.getItem(key) || 'null'); } catch (error) { stored = null; }
    if (!stored) return;
    draftFields(form).forEach(function (field, index) {
      var id = field.name + '#' + index;
      if (!(id in stored)) return;
      if (field.type === 'checkbox' || field.type === 'radio') field.checked = !!stored[id];
      else if (field.type === 'select-multiple') {
        Array.prototype.forEach.call(field.options, function (o) { o.selected = stored[id].indexOf(o.value) >= 0; });
      } else field.value = stored[id];
    });
    var notice = document.createElement('div');
    notice.className = 'alert alert-info d-flex flex-wrap gap-2 align-items-center';
    notice.setAttribute('role', 'status');
    var message = document.createElement('span');
    message.textContent = text(form, 'draft-restored');
    var clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'btn btn-sm btn-outline-dark';
    clear.textContent = text(form, 'draft-clear-label');
    clear.addEventListener('click', function () {
      try { window.sessionStorage.removeItem(key); } catch (error) { /* nothing to forget */ }
      window.location.reload();
    });
    notice.appendChild(message);
    notice.appendChild(clear);
    form.parentNode.insertBefore(notice, form);
  }

  document.querySelectorAll('form[data-draft]').forEach(function (form) {
    var key = 'skow-draft:' + form.getAttribute('data-draft');
    if (form.hasAttribute('data-draft-restore')) draftRestore(form, key);
    form.addEventListener('submit', function () { draftSave(form, key); });
  });

  document.querySelectorAll('[data-draft-forget]').forEach(function (element) {
    try { window.sessionStorage.removeItem('skow-draft:' + element.getAttribute('data-draft-forget')); } catch (error) {}
  });

  // After the drafts: a restored tick must hide what it hides.
  document.querySelectorAll('[data-hidden-when-checked]').forEach(function (element) {
    var box = document.getElementById(element.getAttribute('data-hidden-when-checked'));
    if (!box) return;
    function apply() {
      element.hidden = box.checked;
      element.querySelectorAll('input, select, textarea').forEach(function (field) { field.disabled = box.checked; });
    }
    box.addEventListener('change', apply);
    apply();
  });
})();

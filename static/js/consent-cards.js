/* The consent page ([data-consent-cards], consent/_cards.html): every card is in one form, so
   nothing ticked is lost on saving. With JavaScript a card whose ticks differ from what was
   saved says "Nog niet opgeslagen", and leaving the page with such ticks asks first.
   Without JavaScript the page works as it is. */
(function () {
  'use strict';
  document.querySelectorAll('form[data-consent-cards]').forEach(function (form) {
    var sending = false;
    var cards = Array.prototype.slice.call(form.querySelectorAll('[data-consent-card]'));
    function changed(card) {
      var badge = card.querySelector('[data-unsaved-badge]');
      var boxes = card.querySelectorAll('input[type="checkbox"]');
      var differs = Array.prototype.some.call(boxes, function (box) { return box.checked !== box.defaultChecked; });
      // A card shown again with unsaved ticks (after a withdrawal) stays marked until it is saved.
      return differs || (badge && badge.getAttribute('data-unsaved-kept') === '1');
    }
    cards.forEach(function (card) {
      var badge = card.querySelector('[data-unsaved-badge]');
      if (badge && !badge.hidden) badge.setAttribute('data-unsaved-kept', '1');
      card.addEventListener('change', function () {
        var unsaved = changed(card);
        if (badge) badge.hidden = !unsaved;
        card.classList.toggle('border-warning', unsaved);
      });
    });
    form.addEventListener('submit', function () { sending = true; });
    window.addEventListener('beforeunload', function (event) {
      if (sending || !cards.some(changed)) return;
      event.preventDefault();
      event.returnValue = form.getAttribute('data-msg-leave');
    });
  });
}());

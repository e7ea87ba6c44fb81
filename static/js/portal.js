/* Accessibility on every page (base.html); without JavaScript every page still works.

   1. Announce what just happened (WCAG 4.1.3, 3.3.1): when a page opens after a form was sent,
      focus moves to what the person must read first, so a screen reader reads it and a keyboard
      user continues from there: the list of errors of a refused form (or else its first field in
      error), otherwise the messages of a save ([data-announce], base.html).
   2. Scroll regions (WCAG 2.1.1): a table wider than the screen (.table-responsive, .overflow-auto) can be
      scrolled by keyboard: it takes focus and is named after its caption or the heading above it.
      Only while it actually scrolls, so a table that fits adds no extra tab stop. */
(function () {
  'use strict';

  function focusFirst() {
    if (window.location.hash) return; // the person asked for a place on the page
    var invalid = document.querySelector('main .is-invalid, main [aria-invalid="true"]');
    var target = null;
    if (invalid) {
      var form = invalid.closest('form');
      target = (form && form.querySelector('[data-error-summary], .alert-danger')) ||
        document.querySelector('main [data-error-summary], main .alert-danger') || invalid;
    } else {
      target = document.querySelector('[data-announce]');
    }
    if (!target) return;
    if (!target.matches('a, button, input, select, textarea, [tabindex]')) target.setAttribute('tabindex', '-1');
    target.focus();
  }

  function regionName(wrapper) {
    var table = wrapper.querySelector('table');
    var caption = table && table.querySelector('caption');
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var labelled = table && table.getAttribute('aria-label');
    if (labelled) return labelled;
    var node = wrapper;
    while (node && node !== document.body) {
      var sibling = node.previousElementSibling;
      while (sibling) {
        var heading = sibling.matches('h1, h2, h3, h4, h5, h6') ? sibling : sibling.querySelector('h1, h2, h3, h4, h5, h6');
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
        sibling = sibling.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }

  function scrollRegions() {
    document.querySelectorAll('.table-responsive, .overflow-auto').forEach(function (wrapper) {
      var scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
      if (scrolls && !wrapper.hasAttribute('tabindex')) {
        wrapper.setAttribute('tabindex', '0');
        wrapper.setAttribute('role', 'region');
        if (!wrapper.hasAttribute('aria-label') && !wrapper.hasAttribute('aria-labelledby')) {
          wrapper.setAttribute('aria-label', regionName(wrapper));
        }
        wrapper.setAttribute('data-scroll-region', '');
      } else if (!scrolls && wrapper.hasAttribute('data-scroll-region')) {
        wrapper.removeAttribute('tabindex');
        wrapper.removeAttribute('role');
        wrapper.removeAttribute('data-scroll-region');
      }
    });
  }

  focusFirst();
  scrollRegions();
  window.addEventListener('load', scrollRegions);
  window.addEventListener('resize', scrollRegions); // a phone turned sideways, a zoomed window
}());

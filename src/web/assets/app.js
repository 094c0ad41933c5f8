// Small enhancements; every page works without them. No inline handlers: the CSP forbids them.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  function ready(fn) {
    if (document.readyState !== 'loading') fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  // Character counters under text areas with a maximum length.
  function bindCounters(root) {
    root.querySelectorAll('textarea[data-maxlength]').forEach(function (area) {
      var max = Number(area.getAttribute('data-maxlength'));
      var counter = document.querySelector('[data-counter-for="' + area.id + '"]');
      if (!counter || !max) return;
      var update = function () {
        var left = max - area.value.length;
        counter.textContent = left >= 0 ? left + ' characters left' : -left + ' characters too many';
        counter.classList.toggle('counter--over', left < 0);
      };
      area.addEventListener('input', update);
      update();
    });
  }

  // The listing form shows "advantages" for offers and "specification sought" for requests.
  function bindKindSwitch(root) {
    var radios = root.querySelectorAll('input[name="kind"]');
    if (!radios.length) return;
    var advantages = root.querySelector('#advantages');
    var specification = root.querySelector('#specificationSought');
    var update = function () {
      var checked = root.querySelector('input[name="kind"]:checked');
      var kind = checked ? checked.value : '';
      if (advantages) advantages.closest('.field').hidden = kind === 'request';
      if (specification) specification.closest('.field').hidden = kind === 'offer';
    };
    radios.forEach(function (radio) {
      radio.addEventListener('change', update);
    });
    update();
  }

  // Selects marked data-autosubmit (the sort order) apply at once.
  function bindAutosubmit(root) {
    root.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
      select.addEventListener('change', function () {
        if (!select.form) return;
        if (select.form.requestSubmit) select.form.requestSubmit();
        else select.form.submit();
      });
    });
  }

  // An error summary (or what an inline answer says) takes the focus, so screen readers announce it
  // and keyboards start there; a part swapped in with a mistake but no summary focuses its field.
  function focusErrors(root) {
    var target = root.querySelector('[data-autofocus]') || (root !== document ? root.querySelector('[aria-invalid="true"]') : null);
    if (target) target.focus();
  }

  function enhance(root) {
    bindCounters(root);
    bindKindSwitch(root);
    bindAutosubmit(root);
    focusErrors(root);
  }

  ready(function () {
    enhance(document);
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    enhance(event.target);
  });

  // "Show more" replaces its own link: the focus moves to the first item added, where a keyboard
  // user reading on would go next.
  var loading = null;
  document.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.hasAttribute('data-load-more')) return;
    var list = document.querySelector(elt.getAttribute('hx-target'));
    loading = list ? { list: list, count: list.children.length } : null;
  });
  document.addEventListener('htmx:afterSettle', function () {
    if (!loading) return;
    var added = loading.list.children[loading.count];
    loading = null;
    var link = added && added.querySelector('a');
    if (link) link.focus();
  });
})();

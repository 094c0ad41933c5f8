// The Tech Monitor issue board: reorder the selected entries by dragging their handle (native HTML5
// drag and drop). The new order is written into the board's hidden reorder form and posted, so the
// server checks the version exactly as for the Move up / Move down buttons, which work
// without this script and stay the keyboard's way to move an entry.
(function () {
  'use strict';

  function ready(fn) {
    if (document.readyState !== 'loading') fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  function itemsOf(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.hasAttribute('data-entry-id');
    });
  }

  function orderOf(list) {
    return itemsOf(list).map(function (item) {
      return item.getAttribute('data-entry-id');
    });
  }

  function bindSortable(list) {
    var form = document.getElementById(list.getAttribute('data-sortable'));
    if (!form) return;
    var dragged = null;
    var before = null;
    var dropped = false;

    function submitOrder(order) {
      form.querySelectorAll('input[name="entryIds"]').forEach(function (input) {
        input.remove();
      });
      order.forEach(function (id) {
        var input = document.createElement('input');
        input.type = 'hidden';
        input.name = 'entryIds';
        input.value = id;
        form.appendChild(input);
      });
      list.setAttribute('aria-busy', 'true');
      form.submit();
    }

    list.querySelectorAll('[data-drag-handle]').forEach(function (handle) {
      var item = handle.closest('[data-entry-id]');
      handle.setAttribute('draggable', 'true');
      handle.addEventListener('dragstart', function (event) {
        dragged = item;
        before = orderOf(list);
        dropped = false;
        item.classList.add('is-dragging');
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', item.getAttribute('data-entry-id'));
        if (event.dataTransfer.setDragImage) event.dataTransfer.setDragImage(item, 16, 16);
      });
      handle.addEventListener('dragend', function () {
        item.classList.remove('is-dragging');
        var after = orderOf(list);
        var changed = before && after.join() !== before.join();
        if (dropped && changed) submitOrder(after);
        else if (changed) {
          // Cancelled (Escape, or dropped outside the list): put every entry back.
          before.forEach(function (id) {
            list.appendChild(list.querySelector('[data-entry-id="' + id + '"]'));
          });
        }
        dragged = null;
        before = null;
      });
    });

    itemsOf(list).forEach(function (item) {
      item.addEventListener('dragover', function (event) {
        if (!dragged) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        if (item === dragged) return;
        var box = item.getBoundingClientRect();
        var below = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, below ? item.nextSibling : item);
      });
      item.addEventListener('drop', function (event) {
        if (!dragged) return;
        event.preventDefault();
        dropped = true;
      });
    });
  }

  ready(function () {
    document.querySelectorAll('[data-sortable]').forEach(bindSortable);
  });
})();

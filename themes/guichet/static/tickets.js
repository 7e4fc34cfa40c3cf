// Sorting and filtering of the tickets index. The table works without this script; the
// filters are hidden in the HTML and shown only here.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell.getAttribute("data-value") || cell.textContent.trim();
  }

  function compare(kind, a, b) {
    if (kind === "number") return Number(a) - Number(b);
    return a.localeCompare(b, document.documentElement.lang || "fr", { numeric: true });
  }

  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var kind = th.getAttribute("data-sort") || "text";
        rows.sort(function (a, b) {
          var order = compare(kind, cellValue(a, index), cellValue(b, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function makeFilterable(root, table) {
    var form = root.querySelector(".tickets-filters");
    if (!form) return;
    form.hidden = false;
    var text = form.querySelector("[data-filter-text]");
    var selects = form.querySelectorAll("select[data-filter]");
    var caption = table.caption;
    var total = table.tBodies[0].rows.length;
    var captionText = caption ? caption.textContent : "";

    function apply() {
      var needle = text.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var ok = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
        Array.prototype.forEach.call(selects, function (select) {
          var wanted = select.value;
          if (wanted && row.getAttribute("data-" + select.getAttribute("data-filter")) !== wanted) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (caption) caption.textContent = shown === total ? captionText : shown + " / " + captionText;
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  document.querySelectorAll("[data-tickets-index]").forEach(function (root) {
    var table = root.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length) return;
    makeSortable(table);
    makeFilterable(root, table);
  });
})();

// The printable view (a page's "#imprimable" title block) shows a button that opens the
// browser's print dialog, where the document can also be saved as PDF. Without JavaScript
// the button stays hidden and Ctrl+P does the same.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

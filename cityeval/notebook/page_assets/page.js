// cityeval pages (cityeval/notebook/pages.py): the "Show code" button, and links into a collapsed section (a
// "More: ..." section, the run details) opening it. Runs from the page itself; fetches nothing.
(function () {
  var button = document.getElementById("code-toggle");
  if (button) {
    button.addEventListener("click", function () {
      var shown = document.body.classList.toggle("show-code");
      button.textContent = shown ? button.getAttribute("data-hide") : button.getAttribute("data-show");
      button.setAttribute("aria-pressed", shown ? "true" : "false");
    });
  }
  // open every <details> around the element a "#id" names, so that the browser can scroll to it
  function reveal(hash) {
    if (!hash || hash.charAt(0) !== "#") return;
    var id = hash.slice(1), target = document.getElementById(id);
    try { target = target || document.getElementById(decodeURIComponent(id)); } catch (e) { /* a bad % escape */ }
    for (var d = target && target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      d.open = true;
    }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link) reveal(link.getAttribute("href"));      // before the browser follows the link and scrolls
  });
  window.addEventListener("hashchange", function () { reveal(location.hash); });
  if (location.hash) {
    reveal(location.hash);
    var target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
})();

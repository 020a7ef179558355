// cityeval pages: the "Show code" button (cityeval/notebook/pages.py). Runs from the page itself; fetches nothing.
(function () {
  var button = document.getElementById("code-toggle");
  if (!button) return;
  button.addEventListener("click", function () {
    var shown = document.body.classList.toggle("show-code");
    button.textContent = shown ? button.getAttribute("data-hide") : button.getAttribute("data-show");
    button.setAttribute("aria-pressed", shown ? "true" : "false");
  });
})();

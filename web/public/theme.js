// Runs before the app: apply the remembered theme (light, dark or system) so the page never flashes.
(function () {
  try {
    var stored = JSON.parse(localStorage.getItem("viewfinder-preferences") || "{}");
    var theme = (stored.state && stored.state.theme) || "system";
    var dark = theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.classList.toggle("dark", dark);
  } catch (e) {}
})();

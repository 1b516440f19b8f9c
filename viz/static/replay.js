// A replay: a slider over the recorded snapshots and a Play button that moves it on to the last one.
// `show` draws the snapshot the slider points at; it runs on every move, and once at the start.
function replay(slider, play, show) {
  "use strict";
  var last = Number(slider.max), timer = null;
  function stop() {
    clearInterval(timer); timer = null;
    play.textContent = "Play"; play.setAttribute("aria-pressed", "false");
  }
  play.addEventListener("click", function () {
    if (timer) { stop(); return; }
    if (Number(slider.value) >= last) { slider.value = 0; show(); }
    play.textContent = "Pause"; play.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (Number(slider.value) >= last) { stop(); return; }
      slider.value = Number(slider.value) + 1;
      show();
    }, 120);
  });
  slider.addEventListener("input", show);
  show();
}

// A page inside a notebook (an iframe): the first pointer-down inside it gives it the keyboard, whatever
// the notebook does with its own focus meanwhile (JupyterLab makes the board's cell active as the frame
// takes focus), and the page says whether it has the keyboard: #keyboard-state, where the page has one,
// and body[data-keyboard] = "yes" | "no". A page opened on its own always has the keyboard: nothing to do.
(function () {
  "use strict";
  if (window.self === window.top) { return; }
  var state = document.getElementById("keyboard-state");
  function update() {
    var has = document.hasFocus();
    document.body.setAttribute("data-keyboard", has ? "yes" : "no");
    if (!state) { return; }
    state.hidden = false;
    state.classList.toggle("has-keyboard", has);
    state.textContent = has ? "⌨ The board has the keyboard (click the notebook to give it back)."
                            : "⌨ Click the board to step it with the keys.";
  }
  function take() {
    if (!document.hasFocus()) { window.focus(); }  // within the click's user activation, so allowed
    update();
  }
  document.addEventListener("pointerdown", take, true);
  document.addEventListener("click", take, true);  // once more, after the notebook has handled the click
  window.addEventListener("focus", update);
  window.addEventListener("blur", update);
  update();
})();

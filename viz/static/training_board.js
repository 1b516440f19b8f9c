// The training board: the slider reads one step of the run (loss, accuracy) and moves the chart's marker.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var slider = document.getElementById("step"), readout = document.getElementById("readout");
  var marker = document.getElementById("step-marker");
  function show() {
    var k = Number(slider.value);
    var text = "step " + k + ": loss " + data.loss[k - 1].toPrecision(4);
    if (data.accuracy.length) { text += ", accuracy " + (100 * data.accuracy[k - 1]).toFixed(1) + "%"; }
    readout.textContent = text;
    marker.setAttribute("x1", data.x[k - 1]); marker.setAttribute("x2", data.x[k - 1]);
  }
  slider.addEventListener("input", show);
  show();
})();

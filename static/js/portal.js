// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Street suggestions while typing, into the <datalist> of the street field.
  var list = document.getElementById("street-suggestions");
  var input = list && document.querySelector('input[list="street-suggestions"]');
  if (list && input) {
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (text.length < 2 || text === last) { return; }
      last = text;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(list.dataset.url + "?q=" + encodeURIComponent(text), {
          headers: { "Accept": "application/json" },
          credentials: "same-origin"
        })
          .then(function (response) { return response.ok ? response.json() : { streets: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.streets.map(function (street) {
              var option = document.createElement("option");
              option.value = street.name;
              option.label = street.name + ", " + street.postcode;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience */ });
      }, 200);
    });
  }

  // After a finder search the result's heading takes the focus, so a screen
  // reader reads it and Tab goes on from there. (Without JavaScript the
  // form's address ends in #results-heading: the page opens at the result.)
  var result = document.getElementById("results-heading");
  if (result) {
    result.focus();
  }

  // Signup form: show the fields of the chosen role only.
  var form = document.querySelector(".signup-form");
  if (form) {
    var update = function () {
      var checked = form.querySelector('input[name="role"]:checked');
      var role = checked ? checked.value : "participant";
      form.querySelectorAll(".role-participant").forEach(function (el) {
        el.hidden = role !== "participant";
      });
      form.querySelectorAll(".role-coordinator").forEach(function (el) {
        el.hidden = role !== "coordinator";
      });
    };
    form.querySelectorAll('input[name="role"]').forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  // After a refused submit the server marks the first field in error with
  // autofocus. Another group covering the address is not an error: focus goes
  // to that question; an error that belongs to no field focuses the summary.
  var suggestion = document.getElementById("group-suggestion");
  var summary = document.getElementById("form-errors");
  if (suggestion) {
    suggestion.focus();
  } else if (summary && !document.querySelector("[autofocus]")) {
    summary.focus();
  }
}());

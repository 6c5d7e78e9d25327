// Progressive enhancement only: every control also works through the form's buttons.
// Ticking a facet box follows the toggle URL the server built for it; changing the
// sort order submits the form.
"use strict";

document.documentElement.classList.add("js");

document.addEventListener("change", (event) => {
  const control = event.target;
  if (control.matches("input[type=checkbox][data-toggle-url]")) {
    window.location.assign(control.dataset.toggleUrl);
  } else if (control.matches("select[data-autosubmit]") && control.form) {
    control.form.requestSubmit();
  }
});

// microreach's only script besides htmx. Behaviour that was in inline handlers lives here, so that the
// Content-Security-Policy can refuse every inline script and handler (no 'unsafe-inline', no eval).
"use strict";

// <select data-autosubmit>: choosing an option submits its form (language switcher, organisation switch).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
    select.form.requestSubmit();
  }
});

// <form data-drop-empty-fields>: htmx leaves empty fields out of the query, so the address bar
// (hx-push-url) shows only the filters in use, as a search's permalink should.
document.addEventListener("htmx:configRequest", (event) => {
  const source = event.detail.elt;
  const form = source && source.closest ? source.closest("form[data-drop-empty-fields]") : null;
  if (!form) return;
  const data = event.detail.formData;
  if (data) {
    for (const key of [...data.keys()]) {
      if (data.getAll(key).every((value) => value === "")) data.delete(key);
    }
  }
  const params = event.detail.parameters;
  if (params && !(params instanceof FormData)) {
    for (const key of Object.keys(params)) {
      if (params[key] === "") delete params[key];
    }
  }
});

// After htmx swaps a row or a list, keyboard focus goes to the element the answer marks
// (data-focus-after-swap: the bulk result, or the row's link), instead of falling back to <body>.
document.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("[data-focus-after-swap]");
  if (!target) return;
  target.removeAttribute("data-focus-after-swap");
  target.focus();
});

// <input type="checkbox" data-select-all="id">: ticks or unticks every checkbox named "id" of its form.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all") || !box.form) return;
  const name = box.getAttribute("data-select-all");
  for (const other of box.form.querySelectorAll(`input[type="checkbox"][name="${name}"]`)) {
    other.checked = box.checked;
  }
});

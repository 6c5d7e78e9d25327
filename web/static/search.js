// Progressive enhancement only: every control also works through the form's buttons,
// and the search box is a plain text box without this file.
// - Ticking a facet box follows the toggle URL the server built for it; changing the
//   sort order or a year select submits the form.
// - "/" anywhere but in a text field puts the cursor in the search box.
// - The filters panel is a <details>: opened on wide screens, where it is a sidebar.
// - Suggestions as you type: the WAI-ARIA combobox pattern (a list box popup, arrow
//   keys move through it, Enter picks, Escape closes, the count is announced).
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

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]")) return;
  const box = document.getElementById("q");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

(function keepFiltersOpenOnWideScreens() {
  const panel = document.getElementById("filters");
  if (!panel) return;
  const wide = window.matchMedia("(min-width: 50.01rem)");
  const apply = () => { if (wide.matches) panel.open = true; };
  apply();
  wide.addEventListener("change", apply);
})();

(function suggestions() {
  const box = document.getElementById("q");
  if (!box || !window.fetch) return;
  const DEBOUNCE_MS = 150;
  const MIN_CHARS = 2;
  const row = box.closest(".search-row") || box.parentElement;

  const list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  row.appendChild(list);

  const status = document.createElement("div");
  status.id = "q-suggestions-status";
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  row.appendChild(status);

  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);
  box.setAttribute("aria-expanded", "false");

  let timer = null;
  let controller = null;
  let active = -1;

  function options() {
    return Array.from(list.querySelectorAll("[role=option]"));
  }

  function close() {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(text, typed) {
    // The typed words in bold inside each suggestion, built as DOM nodes, never as HTML.
    const fragment = document.createDocumentFragment();
    const lower = text.toLowerCase();
    const at = lower.indexOf(typed.toLowerCase());
    if (!typed || at < 0) {
      fragment.appendChild(document.createTextNode(text));
      return fragment;
    }
    fragment.appendChild(document.createTextNode(text.slice(0, at)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + typed.length);
    fragment.appendChild(mark);
    fragment.appendChild(document.createTextNode(text.slice(at + typed.length)));
    return fragment;
  }

  function show(items, typed) {
    list.replaceChildren();
    items.forEach((item, index) => {
      const option = document.createElement("li");
      option.id = `q-suggestion-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.value = item.text;
      option.appendChild(highlight(item.text, typed.trim()));
      list.appendChild(option);
    });
    active = -1;
    box.removeAttribute("aria-activedescendant");
    if (items.length) {
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      status.textContent = items.length === 1
        ? "1 suggestion. Use the down arrow to choose it."
        : `${items.length} suggestions. Use the up and down arrows to choose one.`;
    } else {
      close();
      status.textContent = "No suggestions.";
    }
  }

  function move(step) {
    const all = options();
    if (!all.length) return;
    if (list.hidden) {
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }
    // Positions -1 (the box itself) to n-1, round and round.
    active = ((active + 1 + step + all.length + 1) % (all.length + 1)) - 1;
    all.forEach((option, index) => option.setAttribute("aria-selected", String(index === active)));
    if (active >= 0) {
      box.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    box.value = option.dataset.value;
    close();
    if (box.form) box.form.requestSubmit();
  }

  async function ask(typed) {
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`/api/suggest?q=${encodeURIComponent(typed)}`,
        { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      if (box.value.trim() === typed.trim() && document.activeElement === box) {
        show(body.suggestions || [], typed);
      }
    } catch (error) {
      // Aborted by a newer keystroke, or offline: the plain box still searches.
    }
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    const typed = box.value;
    if (typed.trim().length < MIN_CHARS) {
      close();
      return;
    }
    timer = setTimeout(() => ask(typed), DEBOUNCE_MS);
  });

  box.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden && options().length === 0) return;
      move(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(-1);
    } else if (event.key === "Enter") {
      const all = options();
      if (!list.hidden && active >= 0 && all[active]) {
        event.preventDefault();
        choose(all[active]);
      }
    } else if (event.key === "Escape") {
      // A pending lookup must not open the list after Escape. With the list closed,
      // Escape keeps the search box's own meaning (clear the text).
      clearTimeout(timer);
      if (controller) controller.abort();
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    }
  });

  box.addEventListener("blur", () => {
    clearTimeout(timer);
    setTimeout(close, 150);
  });
  // mousedown, not click: it comes before the box loses focus.
  list.addEventListener("mousedown", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) {
      event.preventDefault();
      choose(option);
    }
  });
})();

// Filter the cards of a kind index page by tag, text and the kind's facets. The state
// lives in the URL (?tag=a&tag=b&text=words&severity=sev1) so a filtered view can be shared.
// Values of one facet widen the choice (any of them), tags and facets narrow it (all).
// Without JavaScript the form stays hidden and every card is listed.
(function () {
  "use strict";

  // A facet's parameter is its field's name, but `tag`, `text` and `q` are taken: `tag` and
  // `text` by the tags and the text here, and `q` by Material's search, which opens its
  // dialog on any page whose URL has `q` (so the text filter keeps clear of it too). A facet
  // of such a name is `facet-tag`, `facet-text` or `facet-q` in the URL (no field name has
  // a "-", so no other facet can take that name); the rest keep theirs.
  var TAKEN = ["q", "tag", "text"];

  function facetParam(name) {
    return TAKEN.indexOf(name) === -1 ? name : "facet-" + name;
  }

  function setUp(form) {
    // The cards may be in one list, or in groups (plays by stage), each with its heading.
    var cards = Array.prototype.slice.call(
      form.parentElement.querySelectorAll(".playbook-cards .playbook-card"));
    if (!cards.length) return;
    var groups = Array.prototype.slice.call(form.parentElement.querySelectorAll(".playbook-group"));
    var text = form.querySelector(".playbook-filter__text");
    var buttons = Array.prototype.slice.call(form.querySelectorAll(".playbook-filter__tag"));
    var count = form.querySelector(".playbook-filter__count");
    var facetButtons = Array.prototype.slice.call(form.querySelectorAll(".playbook-filter__facet"));
    var facetNames = [];
    facetButtons.forEach(function (b) {
      var name = b.getAttribute("data-facet");
      if (facetNames.indexOf(name) === -1) facetNames.push(name);
    });

    function selectedFacets() {
      var chosen = {};
      facetButtons.forEach(function (b) {
        if (b.getAttribute("aria-pressed") !== "true") return;
        var name = b.getAttribute("data-facet");
        (chosen[name] = chosen[name] || []).push(b.getAttribute("data-value"));
      });
      return chosen;
    }

    function matchesFacets(card, chosen) {
      var values = JSON.parse(card.getAttribute("data-facets") || "{}");
      return Object.keys(chosen).every(function (name) {
        var has = values[name] || [];
        return chosen[name].some(function (v) { return has.indexOf(v) !== -1; });
      });
    }

    function selectedTags() {
      return buttons
        .filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
        .map(function (b) { return b.getAttribute("data-tag"); });
    }

    function apply(updateUrl) {
      var tags = selectedTags();
      var chosen = selectedFacets();
      var query = text.value.trim().toLowerCase();
      var shown = 0;
      cards.forEach(function (card) {
        var cardTags = JSON.parse(card.getAttribute("data-tags") || "[]");
        var matches =
          tags.every(function (t) { return cardTags.indexOf(t) !== -1; }) &&
          matchesFacets(card, chosen) &&
          (card.getAttribute("data-text") || "").indexOf(query) !== -1;
        card.hidden = !matches;
        if (matches) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".playbook-card:not([hidden])");
      });
      count.textContent = "Showing " + shown + " of " + cards.length;
      if (updateUrl) {
        var params = new URLSearchParams();
        tags.forEach(function (t) { params.append("tag", t); });
        facetNames.forEach(function (name) {
          (chosen[name] || []).forEach(function (v) { params.append(facetParam(name), v); });
        });
        if (query) params.set("text", text.value.trim());
        var search = params.toString();
        history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    var wanted = params.getAll("tag");
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", wanted.indexOf(button.getAttribute("data-tag")) !== -1 ? "true" : "false");
      button.addEventListener("click", function () {
        var pressed = button.getAttribute("aria-pressed") === "true";
        button.setAttribute("aria-pressed", pressed ? "false" : "true");
        apply(true);
      });
    });
    facetButtons.forEach(function (button) {
      var values = params.getAll(facetParam(button.getAttribute("data-facet")));
      button.setAttribute("aria-pressed", values.indexOf(button.getAttribute("data-value")) !== -1 ? "true" : "false");
      button.addEventListener("click", function () {
        var pressed = button.getAttribute("aria-pressed") === "true";
        button.setAttribute("aria-pressed", pressed ? "false" : "true");
        apply(true);
      });
    });
    text.value = params.get("text") || "";
    text.addEventListener("input", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply(false);
  }

  // On paper a link is only useful as a reference: the print stylesheet prints this
  // absolute address after each link in the text (right under a subpath too).
  function markLinksForPrint() {
    var links = document.querySelectorAll(".md-content a[href]:not(.headerlink)");
    Array.prototype.forEach.call(links, function (link) {
      if (link.getAttribute("href").charAt(0) !== "#") {
        link.setAttribute("data-print-href", link.href);
      }
    });
  }

  // On a phone a comparison table shows one subject and a half; the tab that shows one
  // subject at a time reads better there, so it is the one that opens.
  function preferOneSubjectOnPhones() {
    if (!window.matchMedia("(max-width: 44.9375em)").matches) return;
    var sets = document.querySelectorAll(".md-content .tabbed-set");
    Array.prototype.forEach.call(sets, function (set) {
      var inputs = set.querySelectorAll(":scope > input");
      var first = set.querySelector(":scope > .tabbed-content > .tabbed-block");
      if (inputs.length < 2 || !first || !first.querySelector(".playbook-comparison")) return;
      if (inputs[0].checked) {
        inputs[1].checked = true;
        inputs[1].dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  // A table wider than the screen scrolls sideways in its own box; keyboard users must
  // be able to reach that box when nothing inside it takes the focus. Material wraps
  // tables after the page has loaded.
  function makeScrollBoxesReachable() {
    var content = document.querySelector(".md-content");
    if (!content) return;
    function mark() {
      var boxes = content.querySelectorAll(".md-typeset__scrollwrap");
      Array.prototype.forEach.call(boxes, function (box) {
        if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth) return;
        if (box.querySelector("a[href], button, input, summary")) return;
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Table");
      });
    }
    mark();
    new MutationObserver(mark).observe(content, { childList: true, subtree: true });
  }

  // On a phone, Material opens the drawer on the current section's own pane. A kind's
  // section lists nothing but its index page, so that pane would be one line above empty
  // space, hiding every other section: open the drawer at the top level instead, where
  // the current section is marked (playbook.css hides such a pane when it is empty).
  function openDrawerAtTop() {
    if (!window.matchMedia("(max-width: 76.234375em)").matches) return;
    var toggles = document.querySelectorAll(
      ".md-nav--primary .md-nav__item--active > input.md-nav__toggle");
    Array.prototype.forEach.call(toggles, function (toggle) {
      var pane = toggle.parentElement.querySelector(":scope > nav.md-nav");
      if (pane && pane.querySelectorAll(":scope > ul > li.md-nav__item").length <= 1) {
        toggle.checked = false;
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.playbook-filter"), setUp);
    markLinksForPrint();
    preferOneSubjectOnPhones();
    makeScrollBoxesReachable();
    openDrawerAtTop();
  }

  // Material's instant navigation swaps pages without a reload; document$ tells us when.
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// -- Checklists the reader can tick ------------------------------------------------------
// A checklist field's tick boxes are drawn disabled (so that without JavaScript they show
// unticked and cannot seem to keep a tick). Here they are enabled, and each page keeps its
// ticks in this browser only (localStorage), with a button that clears them.
(function () {
  "use strict";

  var PREFIX = "playbook-checklist:";

  function storageKey(index) {
    return PREFIX + location.pathname + "#" + index;
  }

  function read(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (error) {
      return [];
    }
  }

  function write(key, ticked) {
    try {
      if (ticked.length) window.localStorage.setItem(key, JSON.stringify(ticked));
      else window.localStorage.removeItem(key);
    } catch (error) {
      // Storage may be off (private windows): the boxes still tick for this visit.
    }
  }

  function setUp(list, index) {
    if (list.getAttribute("data-ready") === "true") return;
    list.setAttribute("data-ready", "true");
    var key = storageKey(index);
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    if (!boxes.length) return;
    var ticked = read(key);
    // Each tick is kept by its item's text, so an edited list never ticks another item.
    function itemText(box) {
      var item = box.closest("li");
      return item ? item.textContent.trim() : "";
    }
    function save() {
      var now = [];
      boxes.forEach(function (box) { if (box.checked) now.push(itemText(box)); });
      write(key, now);
    }
    boxes.forEach(function (box) {
      box.disabled = false;
      box.checked = ticked.indexOf(itemText(box)) !== -1;
      box.addEventListener("change", save);
    });
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "playbook-checklist__clear md-button";
    clear.textContent = "Clear ticks";
    clear.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      write(key, []);
    });
    list.appendChild(clear);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".playbook-checklist"), setUp);
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

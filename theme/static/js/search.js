// The search page: Pagefind's JavaScript API (pagefind/pagefind.js, written by the build)
// with our own accessible markup. Results are built as DOM nodes from text: no innerHTML,
// no inline style, so the page keeps the site's Content-Security-Policy (Pagefind needs
// only 'wasm-unsafe-eval' and same-origin requests; README "Search").
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const browse = document.getElementById("search-browse");
const selects = [...form.querySelectorAll("select[data-filter]")];
const SHOWN = 20;
let pagefind = null;
let latest = 0;

async function engine() {
  if (pagefind === null) {
    pagefind = import(form.dataset.bundle + "pagefind.js").then(async (module) => {
      await module.options({ baseUrl: form.dataset.base, excerptLength: 24 });
      await module.init();
      return module;
    });
  }
  return pagefind;
}

function filters() {
  const chosen = {};
  for (const select of selects) {
    if (select.value) chosen[select.dataset.filter] = select.value;
  }
  return chosen;
}

// Pagefind's excerpt is HTML whose only elements are <mark>: keep its text and marks, nothing else.
function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(excerpt, "text/html");
  return [...parsed.body.childNodes].map((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  const about = [...(data.filters.category || []), ...(data.filters.author || [])];
  if (about.length) {
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    meta.textContent = about.join(" · ");
    item.append(meta);
  }
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(excerpt);
  return item;
}

function remember(query) {
  const url = new URL(window.location.href);
  url.searchParams.set("q", query);
  for (const select of selects) {
    if (select.value) url.searchParams.set(select.name, select.value);
    else url.searchParams.delete(select.name);
  }
  window.history.replaceState(null, "", url);
}

async function run(debounce) {
  const query = input.value.trim();
  const turn = ++latest;
  if (!query) {
    list.replaceChildren();
    browse.hidden = false;
    status.textContent = "";
    return;
  }
  let found;
  try {
    const search = await engine();
    found = debounce
      ? await search.debouncedSearch(query, { filters: filters() }, 150)
      : await search.search(query, { filters: filters() });
  } catch (error) {
    status.textContent = "Search is not available right now. Browse by category or tag below.";
    return;
  }
  // A newer keystroke has started its own search (debouncedSearch answers null for the old one).
  if (found === null || turn !== latest) return;
  const data = await Promise.all(found.results.slice(0, SHOWN).map((result) => result.data()));
  if (turn !== latest) return;
  const count = found.results.length;
  // In one task: the results take the place of the browse links, nothing else moves.
  list.replaceChildren(...data.map(resultItem));
  browse.hidden = count > 0;
  const shown = count > SHOWN ? `, the first ${SHOWN} shown` : "";
  status.textContent = count
    ? `${count} post${count === 1 ? "" : "s"} found for “${query}”${shown}.`
    : `No posts found for “${query}”. Try fewer words, or browse by category or tag below.`;
  remember(query);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(false);
});
input.addEventListener("input", () => run(true));
for (const select of selects) select.addEventListener("change", () => run(false));
// Load the index as soon as a reader shows interest, not before: the page stays light.
input.addEventListener("focus", () => engine().catch(() => {}), { once: true });

const asked = new URLSearchParams(window.location.search);
for (const select of selects) {
  const wanted = asked.get(select.name);
  if (wanted && [...select.options].some((option) => option.value === wanted)) select.value = wanted;
}
if (asked.get("q")) {
  input.value = asked.get("q");
  run(false);
}

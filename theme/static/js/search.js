// The search page: Pagefind's JavaScript API (pagefind/<bundle>/pagefind.js, written by the build)
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
let bundleCount = 0;
let latest = 0;

// The index comes in bundles (README "Search"): pagefind/bundles.json lists them, the first
// is loaded with its WebAssembly module and the others merged into it, sharing that module.
// null when the site has no post to search.
async function engine() {
  if (pagefind === null) {
    pagefind = fetch(form.dataset.bundle + "bundles.json", { cache: "no-cache" })
      .then((response) => {
        if (!response.ok) throw new Error(`bundles.json: HTTP ${response.status}`);
        return response.json();
      })
      .then(async ({ bundles }) => {
        bundleCount = bundles.length;
        if (!bundles.length) return null;
        const options = { baseUrl: form.dataset.base, excerptLength: 24 };
        const module = await import(form.dataset.bundle + bundles[0] + "pagefind.js");
        try {
          await module.options(options);
          await module.init();
          await Promise.all(bundles.slice(1).map((bundle) => module.mergeIndex(form.dataset.bundle + bundle, options)));
        } catch (error) {
          // Pagefind keeps a bundle that failed to load among its indexes, and every later
          // search would fail on it: start again from nothing at the next search.
          await module.destroy().catch(() => {});
          throw error;
        }
        return module;
      });
    // A failed load is tried again at the next search, not remembered.
    pagefind.catch(() => {
      pagefind = null;
    });
  }
  return pagefind;
}

// Pagefind drops from a query every word its index lacks, and answers for the others. Each
// bundle is an index of its own: a bundle without one of the words would answer for the
// rest alone, with posts one index of the whole site would not return (it drops only the
// words no post has). So with several bundles, keep the posts holding every word that some
// post holds: the posts each word finds alone, in all bundles, intersected. A "quoted
// phrase" needs all its words in every bundle already.
async function searchPosts(search, query, options, debounce) {
  const found = debounce ? await search.debouncedSearch(query, options, 150) : await search.search(query, options);
  const words = query.split(/\s+/).filter(Boolean);
  if (found === null || bundleCount < 2 || words.length < 2 || /^\s*".+"\s*$/.test(query)) return found;
  const alone = await Promise.all(words.map((word) => search.search(word)));
  const needed = alone.filter((each) => each.results.length).map((each) => new Set(each.results.map((result) => result.id)));
  return { ...found, results: found.results.filter((result) => needed.every((posts) => posts.has(result.id))) };
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
    found = search === null ? { results: [] } : await searchPosts(search, query, { filters: filters() }, debounce);
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

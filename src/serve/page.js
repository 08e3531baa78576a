// The preview page: follows the server's build events, lists the chapters and the
// diagnostics, and reloads a view only when its fingerprint changed, keeping where the
// reader had scrolled to.
"use strict";
const view = { slug: decodeURIComponent(location.hash.slice(1)), ebook: "", print: "", state: null };
const $ = (id) => document.getElementById(id);

function chapterOf(state) {
  return state.chapters.find((c) => c.slug === view.slug) || state.chapters[0];
}

function listChapters(state) {
  const list = $("chapters");
  list.replaceChildren(...state.chapters.map((c) => {
    const li = document.createElement("li");
    li.textContent = c.title || c.slug;
    li.dataset.slug = c.slug;
    if (c.slug === view.slug) li.className = "current";
    li.onclick = () => { location.hash = encodeURIComponent(c.slug); };
    return li;
  }));
}

function listDiagnostics(state) {
  const items = state.outcome.diagnostics.map((d) => {
    const li = document.createElement("li");
    li.className = d.level;
    if (d.file) {
      const a = document.createElement("a");
      a.href = "/source?file=" + encodeURIComponent(d.file) + "&line=" + d.line + "#L" + d.line;
      a.target = "_blank";
      a.textContent = d.file + ":" + d.line;
      li.append(a, " ");
    }
    li.append(d.text);
    return li;
  });
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "none";
    li.textContent = "none";
    items.push(li);
  }
  $("diagnostics").replaceChildren(...items);
  const status = $("status");
  const o = state.outcome;
  status.className = o.ok ? "" : "failed";
  status.textContent = o.building
    ? "build " + o.generation + ": preview updated, writing the other editions…"
    : o.ok
    ? "built in " + Math.round(o.build_ms) + " ms (build " + o.generation + ")"
    : "build " + o.generation + " failed: showing the last good preview";
}

// Reloads the ebook frame, back at the same share of the chapter.
function loadEbook(chapter) {
  const frame = $("ebook");
  let share = 0;
  try {
    const el = frame.contentDocument.scrollingElement;
    if (el && el.scrollHeight > el.clientHeight) share = el.scrollTop / (el.scrollHeight - el.clientHeight);
  } catch (e) { share = 0; }
  if (chapter.slug !== view.shownSlug) share = 0;
  return new Promise((done) => {
    frame.onload = () => {
      const el = frame.contentDocument.scrollingElement;
      if (el) el.scrollTop = share * (el.scrollHeight - el.clientHeight);
      done();
    };
    frame.src = "/epub/" + chapter.ebook + "?v=" + chapter.ebook_hash;
  });
}

// Draws the chapter's print pages again, keeping the column's scroll position: only the
// pages whose fingerprint changed, when the chapter still starts on the same page and
// has as many pages; otherwise all of them.
async function loadPrint(chapter) {
  const box = $("print");
  const column = box.parentElement;
  const same = chapter.slug === view.shownSlug;
  const top = same ? column.scrollTop : 0;
  const start = chapter.pages.start;
  const old = same ? view.pages : null;
  view.pages = null;
  if (chapter.pages.end <= start) {
    box.innerHTML = '<p class="empty">This chapter has no pages of its own in the paperback.</p>';
    return;
  }
  if (old && old.start === start && old.hashes.length === chapter.page_hashes.length) {
    const changed = chapter.page_hashes.flatMap((h, k) => (h === old.hashes[k] ? [] : [start + k]));
    const parts = await Promise.all(changed.map((i) =>
      fetch("/print/page/" + i).then((r) => (r.ok ? r.text() : null))));
    if (parts.includes(null)) return;
    changed.forEach((i, j) => {
      const sheet = box.querySelector('.sheet[data-page="' + i + '"]');
      if (sheet) sheet.outerHTML = parts[j];
    });
  } else {
    const reply = await fetch("/print/chapter/" + encodeURIComponent(chapter.slug));
    if (!reply.ok) return;
    box.innerHTML = await reply.text();
  }
  view.pages = { start, hashes: chapter.page_hashes };
  column.scrollTop = top;
}

async function show() {
  const state = view.state;
  if (!state) return;
  $("title").textContent = state.title || "quire preview";
  document.title = (state.title || "quire") + " · preview";
  listDiagnostics(state);
  if (!state.chapters.length) return;
  const chapter = chapterOf(state);
  view.slug = chapter.slug;
  listChapters(state);
  const jobs = [];
  if (chapter.slug !== view.shownSlug || chapter.ebook_hash !== view.ebook) jobs.push(loadEbook(chapter));
  if (chapter.slug !== view.shownSlug || chapter.print_hash !== view.print) jobs.push(loadPrint(chapter));
  await Promise.all(jobs);
  view.ebook = chapter.ebook_hash;
  view.print = chapter.print_hash;
  view.shownSlug = chapter.slug;
  // For tests and benchmarks: which build the views now show, and since when.
  window.quireShown = { generation: state.outcome.generation, at: Date.now() };
  document.body.dataset.generation = String(state.outcome.generation);
}

$("device").onchange = () => {
  const [w, h] = $("device").value.split("x");
  $("ebook").style.width = w + "px";
  $("ebook").style.height = h + "px";
};
window.addEventListener("hashchange", () => {
  view.slug = decodeURIComponent(location.hash.slice(1));
  show();
});
const events = new EventSource("/events");
events.addEventListener("build", (e) => {
  view.state = JSON.parse(e.data);
  show();
});

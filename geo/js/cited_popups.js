// Popups and tooltips built with DOM nodes and textContent only: article and
// YAML text never passes through innerHTML.
(function (L) {
  "use strict";
  var PAGE = 20;
  // The page's one set of safe DOM helpers, from frame.js (loaded first).
  var el = window.citedDom.el, button = window.citedDom.button, safeUrl = window.citedDom.safeUrl;

  // The excerpt table arrives as gzip-compressed JSON chunks; each chunk is
  // inflated once, when a popup first needs one of its excerpts.
  var chunkCache = {};

  function inflate(base64) {
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  // A large corpus keeps its tables in script files beside the page (map_files/):
  // each one, loaded by a <script> tag (which works from file://, unlike fetch),
  // hands its part to citedMap.part(key, base64). Each part is loaded once.
  var partWaiters = {};
  var partCache = {};

  function loadPart(key, file) {
    if (!partCache[key]) {
      partCache[key] = new Promise(function (resolve, reject) {
        partWaiters[key] = resolve;
        var tag = document.createElement("script");
        tag.src = file;
        tag.onerror = function () {
          // A failed load is tried again next time, not remembered.
          delete partCache[key];
          reject(new Error("could not load " + file + " (keep map_files/ beside map.html)"));
        };
        document.head.appendChild(tag);
      }).then(inflate);
    }
    return partCache[key];
  }

  function chunkText(data, k) {
    if (data.excerpt_chunks[k]) return inflate(data.excerpt_chunks[k]);
    return loadPart("excerpts/" + k, data.excerpt_files[k]);
  }

  // The articles of the given ranks, loaded where they live beside the page.
  function ensureArticles(data, ranks) {
    if (!data.article_files) return Promise.resolve();
    var needed = {};
    ranks.forEach(function (r) {
      if (!data.articles[r]) needed[Math.floor(r / data.article_chunk)] = true;
    });
    return Promise.all(
      Object.keys(needed).map(function (k) {
        return loadPart("articles/" + k, data.article_files[k]).then(function (rows) {
          rows.forEach(function (article, i) {
            data.articles[Number(k) * data.article_chunk + i] = article;
          });
        });
      })
    );
  }

  // References from..to of a feature: its first page is in the page itself.
  function refsSlice(f, from, to) {
    if (!f.ref_files || to <= f.citations.length) return Promise.resolve(f.citations.slice(from, to));
    var first = Math.floor(from / f.ref_chunk);
    var last = Math.min(Math.floor((to - 1) / f.ref_chunk), f.ref_files.length - 1);
    var parts = [];
    for (var k = first; k <= last; k++) parts.push(loadPart("refs/" + f.id + "/" + k, f.ref_files[k]));
    return Promise.all(parts).then(function (chunks) {
      var joined = [].concat.apply([], chunks);
      return joined.slice(from - first * f.ref_chunk, to - first * f.ref_chunk);
    });
  }

  function loadExcerpts(data, refs) {
    var needed = {};
    refs.forEach(function (ref) {
      needed[Math.floor(ref[0] / data.chunk_size)] = true;
    });
    return Promise.all(
      Object.keys(needed).map(function (k) {
        if (!chunkCache[k]) {
          chunkCache[k] = chunkText(data, k);
          chunkCache[k].catch(function () {
            delete chunkCache[k];
          });
        }
        return chunkCache[k];
      })
    ).then(function () {
      return Promise.all(
        refs.map(function (ref) {
          var k = Math.floor(ref[0] / data.chunk_size);
          return chunkCache[k].then(function (chunk) {
            return chunk[ref[0] - k * data.chunk_size];
          });
        })
      );
    });
  }

  function excerptNode(ex, ref) {
    // Offsets count code points (as Python does), not UTF-16 units: slice an
    // array of code points so that emoji and other astral characters count once.
    var chars = Array.from(ex[2]);
    var slice = function (a, b) {
      return chars.slice(a, b).join("");
    };
    var block = el("blockquote", "cm-excerpt");
    var cursor = 0;
    ref[1].forEach(function (absolute) {
      var h = [absolute[0] - ex[0], absolute[1] - ex[0]];
      if (h[0] > cursor) block.appendChild(document.createTextNode(slice(cursor, h[0])));
      block.appendChild(el("mark", null, slice(Math.max(h[0], cursor), h[1])));
      cursor = Math.max(cursor, h[1]);
    });
    if (cursor < chars.length) block.appendChild(document.createTextNode(slice(cursor)));
    // ref[3]: for a reference back ("the line"), the earlier mention it refers to.
    if (ref[3]) {
      block.appendChild(el("div", "cm-refers", "Refers back to \u201c" + ref[3] + "\u201d, named earlier in the article"));
    }
    var where = el("div", "cm-offsets", "characters " + ex[0] + "\u2013" + ex[1]);
    block.appendChild(where);
    return block;
  }

  function articleHeader(article, at) {
    var head = el("div", "cm-article");
    var title = el("div", "cm-article-title");
    var url = article.url ? safeUrl(article.url) : null;
    if (url) {
      var a = el("a", null, article.title);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      title.appendChild(a);
    } else {
      title.textContent = article.title;
    }
    head.appendChild(title);
    var line = article.outlet + " \u00b7 " + article.date;
    if (article.author) line += " \u00b7 " + article.author;
    head.appendChild(el("div", "cm-article-meta", line));
    if (article.date_note) head.appendChild(el("div", "cm-note", "Date: " + article.date_note));
    head.appendChild(el("div", "cm-note", "File: " + article.id));
    // The whole article beside the map (geo/js/reader.js), at this excerpt.
    if (window.citedReader) {
      var read = button("cm-read-article", "Read the whole article");
      read.setAttribute("data-article", article.id);
      read.addEventListener("click", function () { window.citedReader.openArticle(article.id, at); });
      head.appendChild(read);
    }
    return head;
  }

  // The orders a reader can list a feature's excerpts in. The references arrive
  // newest article first, in reading order within each article.
  var ORDERS = {
    newest: { label: "Newest first", sort: null },
    oldest: {
      label: "Oldest first",
      sort: function (data, a, b) {
        return b[2] - a[2] || a[0] - b[0];
      }
    },
    outlet: {
      label: "By outlet",
      sort: function (data, a, b) {
        var x = data.articles[a[2]].outlet, y = data.articles[b[2]].outlet;
        return x < y ? -1 : x > y ? 1 : a[0] - b[0];
      }
    }
  };

  // The list a popup pages through: in the default order straight from the
  // references (loaded a part at a time); filtered or sorted, all of them at once.
  function listOf(data, f, outlet, order, full) {
    if (!outlet && order === "newest" && !full) {
      return Promise.resolve({
        length: f.count,
        slice: function (from, to) { return refsSlice(f, from, to); }
      });
    }
    return refsSlice(f, 0, f.count).then(function (all) {
      return ensureArticles(data, all.map(function (ref) { return ref[2]; })).then(function () {
        var refs = all.filter(function (ref) {
          return !outlet || data.articles[ref[2]].outlet === outlet;
        });
        var sort = ORDERS[order].sort;
        if (sort) refs.sort(function (a, b) { return sort(data, a, b); });
        return {
          length: refs.length,
          all: refs,
          slice: function (from, to) { return Promise.resolve(refs.slice(from, to)); }
        };
      });
    });
  }

  // The first page holding an article of date (YYYY, YYYY-MM or YYYY-MM-DD) or,
  // failing that, the nearest one in the list's order.
  function pageOfDate(data, refs, date) {
    var best = 0, bestGap = Infinity;
    refs.forEach(function (ref, i) {
      var gap = Math.abs(dateNumber(data.articles[ref[2]].date) - dateNumber(date));
      if (gap < bestGap) {
        best = i;
        bestGap = gap;
      }
    });
    return Math.floor(best / PAGE);
  }

  function dateNumber(date) {
    var parts = String(date).split("-").map(Number);
    if (!parts[0]) return Infinity;
    return parts[0] * 372 + ((parts[1] || 1) - 1) * 31 + ((parts[2] || 1) - 1);
  }

  // One page of excerpts at a time: a page replaces the one before, so the 1,000th
  // page costs what the first does.
  function renderCitations(data, feature, box, outlet, root, relayout) {
    box.textContent = "";
    var order = "newest";
    var list = el("div", "cm-citations");
    var bar = el("div", "cm-pager");
    var prev = button("cm-prev", "\u2039 Previous");
    var next = button("cm-next", "Next \u203a");
    var where = el("span", "cm-page");
    var jump = el("input", "cm-jump");
    jump.type = "number";
    jump.min = "1";
    jump.setAttribute("aria-label", "Go to page");
    var sorter = el("select", "cm-sort");
    sorter.setAttribute("aria-label", "Order of the excerpts");
    Object.keys(ORDERS).forEach(function (key) {
      var option = el("option", null, ORDERS[key].label);
      option.value = key;
      sorter.appendChild(option);
    });
    var when = el("input", "cm-date");
    when.type = "text";
    when.placeholder = "go to date: YYYY-MM";
    when.setAttribute("aria-label", "Go to the articles of a date");
    [prev, where, next, jump, sorter, when].forEach(function (node) {
      bar.appendChild(node);
      L.DomEvent.disableClickPropagation(node);
    });
    if (feature.count > PAGE) box.appendChild(bar);
    box.appendChild(list);
    var current = 0;
    var pages = 1;
    var source = null;

    function fail(error) {
      // A part that is missing or unreadable: say so instead of waiting forever.
      list.textContent = "";
      list.appendChild(el("p", "cm-error", "Excerpts unavailable: " + error.message));
      root.setAttribute("data-ready", "error");
    }

    function show(index) {
      pages = Math.max(1, Math.ceil(source.length / PAGE));
      current = Math.min(Math.max(index, 0), pages - 1);
      root.removeAttribute("data-ready");
      prev.disabled = next.disabled = true;
      var batch;
      return source
        .slice(current * PAGE, current * PAGE + PAGE)
        .then(function (refs) {
          batch = refs;
          return ensureArticles(data, refs.map(function (ref) { return ref[2]; }));
        })
        .then(function () { return loadExcerpts(data, batch); })
        .then(function (excerpts) {
          list.textContent = "";
          var group = null, lastArticle = null;
          batch.forEach(function (ref, i) {
            if (ref[2] !== lastArticle) {
              group = el("section", "cm-group");
              group.appendChild(articleHeader(data.articles[ref[2]], excerpts[i][0]));
              list.appendChild(group);
              lastArticle = ref[2];
            }
            group.appendChild(excerptNode(excerpts[i], ref));
          });
          where.textContent = "Page " + (current + 1) + " of " + pages;
          jump.max = String(pages);
          jump.value = String(current + 1);
          prev.disabled = current === 0;
          next.disabled = current >= pages - 1;
          relayout(current === 0);
          root.setAttribute("data-page", String(current + 1));
          root.setAttribute("data-pages", String(pages));
          root.setAttribute("data-ready", "true");
        }, fail);
    }

    function reorder(index) {
      return listOf(data, feature, outlet, order).then(function (list) {
        source = list;
        return show(index);
      }, fail);
    }

    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    jump.addEventListener("change", function () { show(Number(jump.value) - 1); });
    sorter.addEventListener("change", function () {
      order = sorter.value;
      reorder(0);
    });
    when.addEventListener("change", function () {
      if (!when.value) return;
      var date = when.value;
      // A date needs every reference with its article: the full list, in this order.
      var whole = source.all ? Promise.resolve(source) : listOf(data, feature, outlet, order, true);
      whole.then(function (list) {
        source = list;
        show(pageOfDate(data, list.all, date));
      }, fail);
    });
    root.removeAttribute("data-ready");
    return reorder(0);
  }

  // A source as a link to its document (http(s) only), else as plain text.
  function sourceLink(data, id, text) {
    var source = data.sources[id];
    var href = source.address ? safeUrl(source.address) : null;
    if (!href) return el("span", "cm-cite", text);
    var a = el("a", "cm-cite", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.title = source.title;
    return a;
  }

  function sameIds(a, b) {
    return a.length === b.length && a.every(function (id, i) { return id === b[i]; });
  }

  function sourcesNode(data, ids) {
    var line = el("div", "cm-source", ids.length > 1 ? "Sources: " : "Source: ");
    ids.forEach(function (id, i) {
      if (i) line.appendChild(document.createTextNode("; "));
      line.appendChild(sourceLink(data, id, data.sources[id].short));
    });
    return line;
  }

  // Every source of the feature, in full: publisher, title, date, address, consulted.
  function bibliographyNode(data, ids) {
    var box = el("details", "cm-bibliography");
    box.appendChild(el("summary", null, "Sources (" + ids.length + ")"));
    var list = el("ol");
    ids.forEach(function (id) {
      var s = data.sources[id];
      var item = el("li");
      item.setAttribute("data-source", id);
      item.appendChild(document.createTextNode(s.publisher + ", "));
      item.appendChild(sourceLink(data, id, "\u201c" + s.title + "\u201d"));
      var tail = s.kind === "estimate" ? "; this map's own estimate" : ", " + (s.date || "undated");
      if (s.consulted) tail += "; consulted " + s.consulted;
      item.appendChild(document.createTextNode(tail + "."));
      if (s.states) item.appendChild(el("div", "cm-states", s.states));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function renderPopup(data, id, relayout) {
    var f = data.features[id];
    var root = el("div", "cm-popup");
    root.setAttribute("data-feature", id);
    root.appendChild(el("h3", "cm-name", f.name));
    if (f.subtitle) root.appendChild(el("div", "cm-subtitle", f.subtitle));
    if (f.note) {
      var note = el("p", "cm-note", f.note);
      if (f.note_sources.length) note.appendChild(sourcesNode(data, f.note_sources));
      root.appendChild(note);
    }
    if (f.facts.length) {
      var table = el("table", "cm-facts");
      f.facts.forEach(function (fact) {
        var row = el("tr");
        row.appendChild(el("th", null, fact.label));
        var cell = el("td", null, fact.value);
        if (fact.sources && fact.sources.length && sameIds(fact.sources, f.note_sources)) {
          // The feature's own sources are listed once, under its note.
          cell.appendChild(el("div", "cm-source", "Sources: those of the feature, above"));
        } else if (fact.sources && fact.sources.length) cell.appendChild(sourcesNode(data, fact.sources));
        else if (fact.computed) cell.appendChild(el("div", "cm-source cm-computed", "How: " + fact.computed));
        row.appendChild(cell);
        table.appendChild(row);
      });
      root.appendChild(table);
    }
    if (f.sources.length) root.appendChild(bibliographyNode(data, f.sources));
    var nArticles = f.n_articles;
    var count = f.count;
    root.appendChild(
      el(
        "h4",
        "cm-count",
        count
          ? count + (count === 1 ? " excerpt" : " excerpts") + " from " + nArticles +
              (nArticles === 1 ? " article" : " articles")
          : "No article in the corpus mentions this feature."
      )
    );
    var box = el("div", "cm-citation-box");
    var outlets = f.outlets;
    if (outlets.length > 1 && count > PAGE) {
      var select = el("select", "cm-filter");
      select.appendChild(el("option", null, "All outlets"));
      select.firstChild.value = "";
      outlets.forEach(function (o) {
        var option = el("option", null, o);
        option.value = o;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        renderCitations(data, f, box, select.value, root, relayout);
      });
      L.DomEvent.disableClickPropagation(select);
      root.appendChild(select);
    }
    root.appendChild(box);
    // Links to the features of other layers the same articles cite (geo/js/reader.js).
    if (window.citedReader) window.citedReader.decoratePopup(root, id);
    renderCitations(data, f, box, "", root, relayout);
    L.DomEvent.disableScrollPropagation(root);
    return root;
  }

  function tooltipNode(text) {
    return el("span", "cm-tooltip", text);
  }

  window.citedMap = {
    // Shared with the reader (reader.js), so that both build nodes the same safe way.
    dom: { el: el, button: button, safeUrl: safeUrl },
    part: function (key, base64) {
      if (partWaiters[key]) partWaiters[key](base64);
      delete partWaiters[key];
    },
    bind: function (map, data, layers) {
      var registry = {};
      layers.forEach(function (group) {
        group.eachLayer(function (layer) {
          var id = layer.feature && layer.feature.id;
          if (!id || !data.features[id]) return;
          registry[id] = layer;
          // Excerpts arrive after the popup opens; refit it to its grown content.
          // (Popup.update() would call this content function again.)
          // Only the first page pans the map: later pages scroll inside the popup,
          // and a pan under the reader's pointer could turn a click into a close.
          var relayout = function (first) {
            var popup = layer.getPopup();
            if (popup && popup.isOpen()) {
              popup._updateLayout();
              popup._updatePosition();
              if (first) popup._adjustPan();
            }
          };
          layer.bindPopup(
            function () {
              return renderPopup(data, id, relayout);
            },
            {
              maxWidth: 460,
              minWidth: 300,
              maxHeight: Math.max(200, Math.round(window.innerHeight * 0.6)),
              autoPanPadding: [16, 16],
              className: "cm-leaflet-popup"
            }
          );
          layer.bindTooltip(tooltipNode(data.features[id].name), { sticky: true });
        });
      });
      map.citedFeatures = registry;
      window.citedMap.map = map;
      return registry;
    }
  };
})(window.L);

"""A site that works opened from disk (`hubgen build --offline`, plugin option `offline`).

Over `file://` a browser neither turns `projects/x/` into `projects/x/index.html`
(it shows a file listing) nor fetches the search index or starts a Web Worker.
An offline build therefore ends every page link in `index.html`, inlines
Material's search index into a script (`search/search_index.js`, which
Material's bundle loads itself on `file:`), writes the spelling and filter
data of search-assist.js into one more (`search/hubgen-search-data.js`), and
runs the search worker through the vendored iframe-worker shim. Pagefind fetches its shards, so offline builds
always use Material's search.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SHIM = "assets/hubgen/iframe-worker-shim.js"

# A relative link to a folder: no scheme, not protocol- or root-relative, path ending in "/"
# (or "." / ".."), an optional query and fragment kept as they are.
_FOLDER_LINK = re.compile(
    r"""(?P<attr>\shref=)(?P<q>["'])(?P<path>(?![a-zA-Z][\w+.-]*:|/)[^"'?#]*?)"""
    r"""(?P<rest>[?#][^"']*)?(?P=q)"""
)


def file_link(path: str) -> str | None:
    """`path` ending in index.html when it names a folder, or None when it names a file."""
    if path in ("", "."):
        return "index.html"
    if path == ".." or path.endswith("/.."):
        return path + "/index.html"
    if path.endswith("/."):
        path = path[:-1]
    return path + "index.html" if path.endswith("/") else None


def file_links(html: str) -> str:
    """Every relative folder link in `html` pointed at the folder's index.html.

    Fragment-only links (`#x`) and links to files (`feed.xml`, `../a.png`)
    are left alone, as are absolute URLs (`https://`, `mailto:`, `/root/`).
    """

    def fix(m: re.Match[str]) -> str:
        path, rest = m["path"], m["rest"] or ""
        if path == "" and rest.startswith("#"):
            return m[0]  # a link within the page
        fixed = file_link(path)
        return m[0] if fixed is None else f"{m['attr']}{m['q']}{fixed}{rest}{m['q']}"

    return _FOLDER_LINK.sub(fix, html)


def inline_search_index(site_dir: Path) -> bool:
    """Write search/search_index.js from Material's search_index.json; False when there is none."""
    index = site_dir / "search" / "search_index.json"
    if not index.is_file():
        return False
    script = index.with_suffix(".js")
    script.write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")
    return True


SEARCH_DATA = "search/hubgen-search-data.js"
_SEARCH_FILES = ("search/hubgen-terms/*.txt", "search/hubgen-facets.json")


def inline_search_data(site_dir: Path) -> int:
    """Write the search helpers' files (term lists, facets) into one script, as search-assist.js
    reads them from disk; returns how many files it holds."""
    files = {
        path.relative_to(site_dir).as_posix(): path.read_text(encoding="utf-8")
        for pattern in _SEARCH_FILES
        for path in sorted(site_dir.glob(pattern))
    }
    data = json.dumps({"files": files}, ensure_ascii=False, separators=(",", ":"))
    (site_dir / SEARCH_DATA).write_text(f"var __hubgenSearch = {data};", encoding="utf-8")
    return len(files)

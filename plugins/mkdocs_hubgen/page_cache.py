"""Built pages kept between builds, keyed by what they are built from.

MkDocs renders every page on every build (its `--dirty` mode compares file
times, which generated pages do not have). The HTML of a page hubgen generates
and keeps out of the nav (a project, person, asset... page) depends only on
its own Markdown, its path, and what every page shares: the MkDocs settings and
nav, the theme, hubgen's code and the installed packages. When none of these
changed since a build, the page's HTML and its search entries are taken from
`.hubgen-cache/pages/` instead of being rendered again (Markdown, then the
theme's templates), which is most of a build's time.

Correctness comes first; a page is rendered as usual when:
- a plugin other than hubgen and Material's search is enabled, or a hook
  (it may change any page from anything): nothing is reused;
- the page is in the nav (its neighbours and active item are on it) or is one
  of the hub's own docs pages;
- its entry is missing or fails its hash (damaged, or written by a build that
  was interrupted): the page is rendered again, with a message.
Everything is keyed by content (hashes, never file times), so the folder can be
restored from a CI cache in a fresh clone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubgen.fingerprint import code_fingerprint

log = logging.getLogger("mkdocs.plugins.hubgen")

FORMAT = 1  # bump when what an entry holds changes
REUSED_TEMPLATE = "hubgen-reused.html"  # an empty template: a reused page's HTML replaces its output
SAFE_PLUGINS = {"hubgen", "search", "material/search"}
# A relative link to a file (an extension before any #anchor or ?query): MkDocs rewrites it only if that file
# is part of the site, so whether each such target exists is part of the page's key.
_FILE_LINK = re.compile(r"""(?:\]\(|\bsrc=["']|\bhref=["'])(?!\w+:|/|#)([^)"'\s#?]+\.[A-Za-z0-9]+)""")


def canonical(value: Any, depth: int = 0) -> Any:
    """A JSON-able, process-independent rendering of a setting (functions by name, objects by their fields)."""
    if depth > 12:
        return "…"
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): canonical(v, depth + 1) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [canonical(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(str(canonical(v, depth + 1)) for v in value)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    fields = getattr(value, "__dict__", None)
    if isinstance(fields, dict):
        public = {k: v for k, v in fields.items() if not k.startswith("_")}
        return {"@": type(value).__qualname__, **canonical(public, depth + 1)}
    return f"{type(value).__qualname__}:{value}"


def _own_theme_dirs(dirs: list[str]) -> list[str]:
    """The theme folders that are not an installed package's (the hub's custom_dir): a package's files are
    covered by its version."""
    return [top for top in dirs if not {"site-packages", "dist-packages"} & set(Path(top).parts)]


def _theme_files(dirs: list[str], root: Path) -> str:
    """Content hash of the hub's own theme folders."""
    digest = hashlib.blake2b(digest_size=16)
    for top in _own_theme_dirs(dirs):
        name = top.replace(str(root), "<hub>")
        for path in sorted(Path(top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{name}/{path.relative_to(top).as_posix()}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Entry:
    """One built page: its key, the hash and size of its HTML, its search entries, the text indexed."""

    key: str
    sha: str
    size: int
    entries: list[dict[str, Any]] = field(default_factory=list)
    text: str | None = None


@dataclass
class PageCache:
    """The cache of one build profile (audience, offline or not, site URL)."""

    folder: Path
    shared: str = ""  # the key of everything all pages share; "" when nothing may be reused
    stored: dict[str, Entry] = field(default_factory=dict)
    reused: dict[str, tuple[Entry, str]] = field(default_factory=dict)  # src_uri -> (entry, HTML)
    fresh: dict[str, Entry] = field(default_factory=dict)  # rendered this build: filled in as it goes
    dest: dict[str, str] = field(default_factory=dict)  # src_uri -> the written file, for fresh pages
    why_not: str = ""

    @classmethod
    def open(cls, root: Path, audience: str, offline: bool, site_url: str | None) -> PageCache:
        """One folder per audience, offline or not, and site URL (`hubgen serve` has its own): builds of
        each do not evict each other's pages."""
        url = hashlib.blake2b((site_url or "").encode(), digest_size=4).hexdigest()
        return cls(root / ".hubgen-cache" / "pages" / f"{audience}-{'offline' if offline else 'online'}-{url}")

    @property
    def enabled(self) -> bool:
        return bool(self.shared)

    def summary(self) -> str:
        """What this build took from the cache, for the command line."""
        if not self.enabled:
            return f"every page rendered: {self.why_not}" if self.why_not else ""
        return f"{len(self.reused):,} page(s) reused unchanged, {len(self.fresh):,} rendered"

    def start(self, config: Any, root: Path, nav_sources: dict[str, bytes], search_index: Any) -> None:
        """Work out the shared key from the final config and nav; read the stored entries if it matches.
        `search_index`: Material's search index (entries are stored and put back), None without one."""
        plugins = list(config.plugins.items())
        unknown = sorted(name for name, _ in plugins if name not in SAFE_PLUGINS)
        if unknown or getattr(config, "hooks", None):
            self.why_not = (
                f"plugin(s) {', '.join(unknown)} may change any page"
                if unknown
                else "hooks in mkdocs.yml may change any page"
            )
        elif search_index is None and any(name != "hubgen" for name, _ in plugins):
            self.why_not = "the search plugin is not Material's: its index cannot be kept"
        if self.why_not:
            log.info("hubgen: every page is rendered: %s", self.why_not)
            return
        if any("build_date" in p.read_text("utf-8", "replace") for p in _custom_templates(config.theme.dirs)):
            self.why_not = "the theme's templates show the build date"
            log.info("hubgen: every page is rendered: %s", self.why_not)
            return
        # Settings that never reach a page (where to write, what to watch, where to serve) stay out.
        settings = {k: v for k, v in config.items() if k not in ("site_dir", "plugins", "theme", "watch", "dev_addr")}
        theme = config.theme
        shared = {
            "format": FORMAT,
            "code": code_fingerprint(),
            "config": canonical(settings),
            "plugins": [[name, type(p).__module__, canonical(dict(p.config))] for name, p in plugins],
            "theme": [theme.name, list(theme.dirs), canonical(dict(theme.items()) if hasattr(theme, "items") else {})],
            "theme_files": _theme_files(list(theme.dirs), root),
            "nav": {
                src: hashlib.blake2b(data, digest_size=16).hexdigest() for src, data in sorted(nav_sources.items())
            },
        }
        # Paths inside the hub count relative to it: a clone elsewhere (a CI runner) keeps its cache.
        text = json.dumps(shared, sort_keys=True).replace(str(root), "<hub>")
        self.shared = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
        self.stored = self._read()

    def _read(self) -> dict[str, Entry]:
        manifest = self.folder / "manifest.json"
        if not manifest.exists():
            return {}
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                log.info("hubgen: page cache %s is from another hubgen version: ignored", manifest)
                return {}
            if data.get("shared") != self.shared:
                log.info(
                    "hubgen: settings, nav, theme or packages changed since the last build: every page is rendered"
                )
                return {}
            return {src: Entry(**e) for src, e in data["pages"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.info("hubgen: page cache %s is unreadable (%s): ignored, every page is rendered", manifest, exc)
            return {}

    def key(self, src_uri: str, content: bytes, exists: Any) -> str:
        """A page's key: the shared key, its path, its Markdown, and which of the files it links to exist."""
        digest = hashlib.blake2b(digest_size=20)
        digest.update(self.shared.encode() + b"\0" + src_uri.encode() + b"\0" + content)
        base = posixpath.dirname(src_uri)
        for target in sorted(set(_FILE_LINK.findall(content.decode("utf-8", "replace")))):
            path = posixpath.normpath(posixpath.join(base, target))
            digest.update(f"\0{path}:{int(bool(exists(path)))}".encode())
        return digest.hexdigest()

    def html_path(self, src_uri: str) -> Path:
        return self.folder / "html" / (hashlib.blake2b(src_uri.encode(), digest_size=16).hexdigest() + ".html")

    def lookup(self, src_uri: str, key: str) -> str | None:
        """The stored HTML for this page and key, checked against its hash; None to render it."""
        entry = self.stored.get(src_uri)
        if entry is None or entry.key != key:
            return None
        try:
            data = self.html_path(src_uri).read_bytes()
        except OSError:
            data = None
        if data is None or len(data) != entry.size or hashlib.blake2b(data, digest_size=20).hexdigest() != entry.sha:
            log.info("hubgen: page cache: the stored %s is missing or damaged: rendered again", src_uri)
            return None
        self.reused[src_uri] = (entry, data.decode("utf-8"))
        return self.reused[src_uri][1]

    def save(self) -> None:
        """Store this build's fresh pages (hard links to the written files), prune the gone, write the manifest."""
        if not self.enabled:
            return
        (self.folder / "html").mkdir(parents=True, exist_ok=True)
        pages: dict[str, Entry] = {src: entry for src, (entry, _) in self.reused.items()}
        for src, entry in self.fresh.items():
            written = self.dest.get(src)
            if not written or not entry.key:
                continue
            try:
                data = Path(written).read_bytes()
                target = self.html_path(src)
                tmp = target.with_suffix(".tmp")
                tmp.unlink(missing_ok=True)
                try:
                    os.link(written, tmp)  # no second copy of the bytes; a damaged file fails its hash
                except OSError:
                    shutil.copyfile(written, tmp)
                os.replace(tmp, target)
            except OSError as exc:
                log.info("hubgen: page cache: could not store %s (%s)", src, exc)
                continue
            entry.size = len(data)
            entry.sha = hashlib.blake2b(data, digest_size=20).hexdigest()
            pages[src] = entry
        keep = {self.html_path(src).name for src in pages}
        for old in (self.folder / "html").glob("*.html"):
            if old.name not in keep:
                old.unlink(missing_ok=True)
        manifest = {"format": FORMAT, "shared": self.shared, "pages": {s: vars(e) for s, e in sorted(pages.items())}}
        tmp = self.folder / "manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, self.folder / "manifest.json")
        log.info("hubgen: page cache: %d page(s) reused, %d rendered", len(self.reused), len(self.fresh))


def _custom_templates(dirs: list[str]) -> list[Path]:
    """The hub's own template files (not an installed theme's)."""
    return [p for top in _own_theme_dirs(dirs) for p in Path(top).rglob("*.html") if p.is_file()]

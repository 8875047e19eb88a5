"""What a MkDocs-compatible engine needs from hubgen, in one place.

The plugin applies this to a live MkDocs config; `hubgen generate` writes it
into a plugin-free `mkdocs.yml` so the tree builds without hubgen (MkDocs 1.6,
ProperDocs, and engines that run no third-party plugins).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any

import hubgen_theme
import yaml

# Extensions the generated pages rely on, with their settings (the user's settings win, key by key).
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.superfences": {},
}
# Lineage diagrams are ```mermaid fences: superfences must pass them through as <pre class="mermaid">.
MERMAID_FENCE = "pymdownx.superfences.fence_code_format"


def merged_extensions(names: list[str], configs: dict[str, Any], fence_format: Any) -> tuple[list[str], dict[str, Any]]:
    """The user's extensions plus those hubgen's pages need, as (names, settings by name).

    Nothing the user set is overridden: their keys win over hubgen's defaults, and
    the Mermaid fence is added to their own `custom_fences` unless they define one
    named `mermaid`. `fence_format` is the fence's format function (or its YAML tag).
    """
    names = list(names)
    configs = {name: dict(settings or {}) for name, settings in configs.items()}
    for name, defaults in REQUIRED_EXTENSIONS.items():
        if name not in names:
            names.append(name)
        merged = {**defaults, **configs.get(name, {})}
        if name == "pymdownx.superfences":
            fences = list(merged.get("custom_fences") or [])
            if not any(isinstance(f, dict) and f.get("name") == "mermaid" for f in fences):
                fences.append({"name": "mermaid", "class": "mermaid", "format": fence_format})
            merged["custom_fences"] = fences
        if merged:
            configs[name] = merged
    return names, configs


def mermaid_fence_format() -> Any:
    """The format function superfences calls for a Mermaid fence."""
    from pymdownx.superfences import fence_code_format

    return fence_code_format


EXTRA_CSS = ("assets/hubgen/hubgen.css",)
EXTRA_JS = ("assets/hubgen/hubgen.js",)  # explorer.js: theme/main.html, on pages with an explorer
# Vendored compressed to keep the repository small; served plain.
PACKED = {
    "assets/hubgen/mermaid.min.js.gz": "assets/hubgen/mermaid.min.js",
    "assets/hubgen/cytoscape.min.js.gz": "assets/hubgen/cytoscape.min.js",
}  # the lineage explorer's


# Material's search ships one index file (about 3 KB per page here): past about
# a thousand pages it outgrows a quick first search, so large hubs switch to
# Pagefind, which loads only the chunks a query needs.
PAGEFIND_THRESHOLD = 1000
PAGEFIND_JS = "assets/hubgen/pagefind-search.js"


def search_engine_for(setting: str, pages: int) -> str:
    """'material' or 'pagefind' for a plugin setting (auto, material, pagefind) and a page count."""
    if setting == "auto":
        return "pagefind" if pages > PAGEFIND_THRESHOLD else "material"
    return setting


def theme_dir() -> Path:
    return Path(hubgen_theme.__file__).parent


def vendored_files() -> dict[str, bytes]:
    """Site files unpacked from the theme (Mermaid), by site path."""
    return {plain: gzip.decompress((theme_dir() / packed).read_bytes()) for packed, plain in PACKED.items()}


class _Tagged(str):
    """A `!!python/name:…` value from mkdocs.yml, kept as written."""


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(f"{suffix}{loader.construct_scalar(node)}")
)
_Loader.add_constructor(
    "!ENV",
    lambda loader, node: (
        loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)[-1]
    ),
)
_Dumper.add_representer(_Tagged, lambda dumper, value: dumper.represent_scalar(f"tag:yaml.org,2002:python/{value}", ""))


def read_config(config_text: str) -> dict[str, Any]:
    """mkdocs.yml as data, tolerating MkDocs' !!python/name and !ENV tags."""
    return yaml.load(config_text, Loader=_Loader) or {}


def standalone_config(config_text: str, nav: list[Any], docs_dir: str = "docs", custom_dir: str = "theme") -> str:
    """A plugin-free mkdocs.yml: the hub's settings plus everything the plugin would add."""
    config = read_config(config_text)
    config["docs_dir"] = docs_dir
    config.pop("site_dir", None)
    config["use_directory_urls"] = True
    config["nav"] = nav
    theme = config.get("theme") or {"name": "material"}
    if isinstance(theme, str):
        theme = {"name": theme}
    theme["custom_dir"] = custom_dir
    theme["font"] = False
    config["theme"] = theme
    plugins = [p for p in config.get("plugins") or [] if p != "hubgen" and not (isinstance(p, dict) and "hubgen" in p)]
    config["plugins"] = plugins or ["search"]
    config["extra_css"] = list(dict.fromkeys([*(config.get("extra_css") or []), *EXTRA_CSS]))
    config["extra_javascript"] = list(dict.fromkeys([*(config.get("extra_javascript") or []), *EXTRA_JS]))
    names: list[str] = []
    settings: dict[str, Any] = {}
    for ext in config.get("markdown_extensions") or []:
        name = next(iter(ext)) if isinstance(ext, dict) else str(ext)
        names.append(name)
        if isinstance(ext, dict) and ext[name]:
            settings[name] = ext[name]
    names, settings = merged_extensions(names, settings, _Tagged("name:" + MERMAID_FENCE))
    for fence in settings["pymdownx.superfences"]["custom_fences"]:
        if isinstance(fence.get("format"), str) and not isinstance(fence["format"], _Tagged):
            fence["format"] = _Tagged("name:" + fence["format"])  # written as a string: make it a function again
    extensions = [{name: settings[name]} if settings.get(name) else name for name in names]
    config["markdown_extensions"] = extensions
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def copy_theme(target: Path) -> None:
    """The theme overrides as a custom_dir, minus the packed files (written unpacked into the site)."""
    shutil.copytree(
        theme_dir(),
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "*.gz", "THIRD_PARTY.md"),
    )


def own_pages_nav(paths: list[str]) -> list[Any]:
    """Nav entries for the hand-written pages in docs_dir, after the generated sections.

    They share one "Docs" section (one tab), so a hub with many pages of its own
    does not crowd the generated tabs: top-level pages by path (the engine titles
    them from the page), pages in a folder in a subsection named after it. A
    single page stands alone.
    """
    top: list[Any] = []
    sections: dict[str, list[str]] = {}
    for path in sorted(paths):
        folder, _, rest = path.partition("/")
        if rest:
            sections.setdefault(folder, []).append(path)
        else:
            top.append(path)
    entries = top + [
        {folder.replace("-", " ").replace("_", " ").capitalize(): pages} for folder, pages in sections.items()
    ]
    if len(entries) <= 1 and not sections:
        return entries
    return [{"Docs": entries}]


def docs_dir_override(root: Path, config_text: str) -> dict[str, str]:
    """`docs_dir` pointing at an empty folder when the hub has none (MkDocs stops on a missing one).

    The contract's minimal hub is `content/` and `mkdocs.yml`: hand-written pages
    are optional. MkDocs checks `docs_dir` before any plugin runs, so the hubgen
    commands pass this override; plain `mkdocs build` needs the folder to exist.
    """
    try:
        docs = read_config(config_text).get("docs_dir") or "docs"
    except yaml.YAMLError:
        return {}  # MkDocs reports the YAML error itself, naming the file
    if (root / str(docs)).is_dir():
        return {}
    empty = root / ".hubgen-cache" / "no-docs"
    empty.mkdir(parents=True, exist_ok=True)
    return {"docs_dir": str(empty)}

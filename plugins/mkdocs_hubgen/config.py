"""Options of the `hubgen` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from hubgen.search.pagefind_index import SHARD_PAGES
from hubgen.visibility import VISIBILITY_LEVELS


class HubgenConfig(base.Config):
    # Hub repository root; default: the folder holding mkdocs.yml.
    repo = c.Optional(c.Type(str))
    # Build audience; default: `audience` in content/hub.yml, else internal.
    audience = c.Optional(c.Choice(VISIBILITY_LEVELS))
    # Fail the build on any problem, warnings included.
    strict = c.Type(bool, default=False)
    # Site search: Material's single index, Pagefind's sharded one, or auto
    # (Pagefind above hubgen.engine.PAGEFIND_THRESHOLD generated pages).
    search_index = c.Choice(("auto", "material", "pagefind"), default="auto")
    # Pages per Pagefind shard: bounds the indexer's memory (about 140 kB a page
    # while it writes); the browser merges the shards.
    search_shard_pages = c.Type(int, default=SHARD_PAGES)
    # A site that works opened from disk (file://): links end in index.html, Material's search
    # index is inlined as a script and its worker runs in an iframe; Material search always.
    offline = c.Type(bool, default=False)

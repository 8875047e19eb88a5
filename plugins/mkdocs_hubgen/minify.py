"""hubgen's own scripts and style sheets, minified as the site gets them.

They are written to be read (comments say why), and every page loads
several: on a host that does not compress (a plain static server, a file
share) their comments and indentation are most of their bytes, on the first
search of a large hub too. rjsmin and rcssmin are small, well-tested
minifiers (regular-expression literals, automatic semicolons, CSS strings):
a hand-written one would get those wrong. Files already minified (`.min.`)
are left as they are.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

FOLDER = "assets/hubgen/"


def minified(name: str, text: str) -> str | None:
    """`text` minified by its file name's kind; None for files that are not hubgen's readable sources."""
    if ".min." in name:
        return None
    if name.endswith(".js"):
        return str(rjsmin.jsmin(text))
    if name.endswith(".css"):
        return str(rcssmin.cssmin(text))
    return None


def minify_theme_assets(files: Files, config: MkDocsConfig) -> None:
    """Replace hubgen's theme scripts and style sheets in `files` by their minified text."""
    for file in list(files):
        if not file.src_uri.startswith(FOLDER) or file.abs_src_path is None:
            continue
        small = minified(file.src_uri, Path(file.abs_src_path).read_text(encoding="utf-8"))
        if small is not None:
            files.remove(file)
            files.append(File.generated(config, file.src_uri, content=small))

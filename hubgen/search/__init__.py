"""Search, in the site and on the command line.

`fulltext` is `hubgen search` (whoosh, behind that one module); `pagefind_index` feeds Pagefind for
large sites; `text` is page content as both site engines should read it; `terms` writes the site's
"did you mean" word lists and filters; `typos` is the one-edit tolerance they all share.
"""

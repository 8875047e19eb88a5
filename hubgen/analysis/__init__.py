"""Pure functions from a `Hub` to what the pages show; no I/O, no rendering."""

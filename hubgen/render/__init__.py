"""Pages, charts and exports from an analysed hub."""

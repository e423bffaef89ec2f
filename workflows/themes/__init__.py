"""Notes into themes: the clustering engines, placing themes on stages, and people's ratings and votes on them."""

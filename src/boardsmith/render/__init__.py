"""SVG previews of plans and snapshots, and charts."""

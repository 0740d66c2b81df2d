"""Service endpoints: health and documentation."""

"""Service endpoints (API.md section 10): health and documentation."""

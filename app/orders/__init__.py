"""Orders and their workflow (API.md section 6)."""

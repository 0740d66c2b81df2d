"""Reviews of lectures (API.md section 8)."""

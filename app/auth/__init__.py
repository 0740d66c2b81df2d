"""Sign-up, login and logout (API.md section 2)."""

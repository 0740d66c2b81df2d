"""Orders and their workflow."""

"""Reviews of lectures."""

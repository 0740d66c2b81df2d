"""Chats tied to orders (API.md section 7)."""

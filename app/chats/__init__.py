"""Chats tied to orders."""

"""HTTP endpoints of the chats blueprint."""

from app.common.blueprint import ApiBlueprint

blp = ApiBlueprint("chats", __name__, description="Chats tied to orders.")

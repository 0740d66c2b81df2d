"""HTTP endpoints of the chats tied to orders."""

from flask_login import current_user

from app.chats import services
from app.chats.schemas import (
    ChatArgs,
    ChatListItemOut,
    ChatOut,
    MessageCountOut,
    MessageIn,
    MessageOut,
)
from app.common.blueprint import ApiBlueprint
from app.common.body import Body
from app.common.limits import created_per_user
from app.common.pagination import PageArgs, page_of
from app.extensions import db
from app.models import CUSTOMER, LECTURER

blp = ApiBlueprint("chats", __name__, description="Chats tied to orders.")


@blp.route("/chat/<id:chat_id>", methods=["GET"])
@blp.auth()
@blp.query(ChatArgs)
@blp.response(200, ChatOut)
@blp.errors(404)
def show_chat(args: dict, chat_id: int):
    """Read a chat's messages, oldest first (participants, admin); marks them read."""
    chat = services.read_chat(current_user, chat_id, **args)
    db.session.commit()
    return chat


@blp.route("/chats", methods=["GET"])
@blp.auth()
@blp.query(PageArgs)
@blp.response(200, page_of(ChatListItemOut))
def list_chats(args: dict):
    """List the caller's chats (an admin: all), most recent activity first."""
    return services.list_chats(current_user, **args)


@blp.route("/create_message", methods=["POST"])
@blp.auth(CUSTOMER, LECTURER)
@blp.idempotent
@created_per_user("LIMIT_MESSAGES_PER_USER", "new messages")
@blp.body(MessageIn)
@blp.response(201, MessageOut)
@blp.errors(429)
def create_message(body: Body):
    """Write in a chat (its participants); the other participant is the recipient."""
    return services.create_message(current_user, **body.load())


@blp.route("/delete_message/<id:message_id>", methods=["DELETE"])
@blp.auth()
@blp.response(204)
@blp.errors(403, 404)
def delete_message(message_id: int):
    """Delete a message (its sender, admin)."""
    services.delete_message(current_user, message_id)
    db.session.commit()


@blp.route("/sum_messages/<id:chat_id>", methods=["GET"])
@blp.auth()
@blp.response(200, MessageCountOut)
@blp.errors(404)
def count_chat_messages(chat_id: int):
    """Count a chat's messages (participants, admin)."""
    chat, _ = services.get_chat(current_user, chat_id)
    return {"chat_id": chat.id, "messages": services.count_messages(chat.id)}

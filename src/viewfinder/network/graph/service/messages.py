"""Messages through the Graph: `POST {ig-user-id}/messages` (text, within 24 hours of the person's last message),
the User's `conversations` edge, and the Conversation and Message nodes, over the network's direct messages.

The network's people ids serve as the Instagram-scoped ids (IGSIDs) of the people the account talks to.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import and_, func, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.network.graph import nodes
from viewfinder.network.graph.nodes import Call, Edge, GraphError, Page, PageArgs, Related, graph_time, node_type
from viewfinder.network.social.ids import parse_id
from viewfinder.network.social.models import NetworkMessage, NetworkMessageThread, NetworkPerson, NetworkThreadMember
from viewfinder.network.social.service import messages as direct_messages

MANAGE_MESSAGES = "instagram_business_manage_messages"
# A business may answer a person for 24 hours after that person's last message; a human agent (messages tagged
# HUMAN_AGENT) for 7 days.
REPLY_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)

USER = node_type("User")
CONVERSATION = node_type("Conversation")
MESSAGE = node_type("Message")
# The people of a conversation or a message, as `{"username", "id"}`.
PARTY = node_type("MessagingParty")

CONVERSATION.default_fields = ("id", "updated_time")
MESSAGE.default_fields = ("id", "created_time")
PARTY.default_fields = ("username", "id")


@dataclass(frozen=True)
class Conversation:
    """A thread of the token's account, with the person on the other side."""

    thread: NetworkMessageThread
    account: NetworkPerson
    other: NetworkPerson
    updated_at: datetime


@dataclass(frozen=True)
class Message:
    """A message with its sender and the thread's other member (its recipient)."""

    message: NetworkMessage
    recipient: NetworkPerson


# Errors


def _outside_window() -> GraphError:
    return GraphError("(#10) This message is sent outside of allowed window.", 10, subcode=2534022)


def _no_matching_user() -> GraphError:
    return GraphError("(#100) No matching user found", 100, subcode=2018001)


def _unavailable() -> GraphError:
    return GraphError("This person isn't available right now.", 551, subcode=1545041)


@asynccontextmanager
async def _service_errors() -> AsyncIterator[None]:
    try:
        yield
    except direct_messages.Blocked:
        raise _unavailable() from None
    except InvalidInput as error:
        raise nodes.invalid_parameter(error.detail) from None
    except NotFound:
        raise _no_matching_user() from None


# Sending


def _json_object(call: Call, name: str) -> dict[str, Any]:
    """A parameter holding a JSON object (a JSON body's object, or a form's JSON string)."""
    raw = call.required(name)
    try:
        value = json.loads(raw)
    except ValueError:
        raise nodes.invalid_parameter(f"Param {name} must be a JSON object") from None
    if not isinstance(value, dict):
        raise nodes.invalid_parameter(f"Param {name} must be a JSON object")
    return value


def _message_text(call: Call) -> str:
    message = _json_object(call, "message")
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        raise nodes.invalid_parameter("Only text messages are supported: message.text is required")
    return text


async def _recipient(call: Call) -> NetworkPerson:
    recipient_id = _json_object(call, "recipient").get("id")
    number = parse_id(str(recipient_id)) if isinstance(recipient_id, str | int) else None
    person = await call.session.get(NetworkPerson, number) if number is not None else None
    if person is None or person.id == call.person.id:
        raise _no_matching_user()
    return person


async def _thread_with(call: Call, person: NetworkPerson) -> NetworkMessageThread | None:
    key = direct_messages.pair_key(call.person.id, person.id)
    return await call.session.scalar(select(NetworkMessageThread).where(NetworkMessageThread.pair_key == key))


async def _last_heard(call: Call, thread: NetworkMessageThread, person: NetworkPerson) -> datetime | None:
    """When the person last wrote to the account in this thread."""
    return await call.session.scalar(
        select(func.max(NetworkMessage.created_at)).where(
            NetworkMessage.thread_id == thread.id, NetworkMessage.sender_id == person.id
        )
    )


async def _send(call: Call, account: NetworkPerson) -> dict[str, Any]:
    """`POST {ig-user-id}/messages` with `recipient={"id": IGSID}` and `message={"text": …}` →
    `{"recipient_id", "message_id"}`; only within 24 hours after the person's last message (7 days with
    `tag=HUMAN_AGENT`)."""
    call.require(MANAGE_MESSAGES)
    recipient = await _recipient(call)
    text = _message_text(call)
    thread = await _thread_with(call, recipient)
    last_heard = await _last_heard(call, thread, recipient) if thread is not None else None
    window = HUMAN_AGENT_WINDOW if call.param("tag") == "HUMAN_AGENT" else REPLY_WINDOW
    if thread is None or last_heard is None or last_heard < utcnow() - window:
        raise _outside_window()
    async with _service_errors():
        message = await direct_messages.send_message(call.session, call.person, str(thread.id), text)
    return {"recipient_id": str(recipient.id), "message_id": str(message.id)}


USER.edges["messages"] = Edge("Message", create=_send)


# Conversations


async def _conversations(call: Call, threads: Sequence[NetworkMessageThread]) -> list[Conversation]:
    """The threads with their other members and last messages' times, in two queries."""
    thread_ids = [thread.id for thread in threads]
    members = await call.session.execute(
        select(NetworkThreadMember.thread_id, NetworkPerson)
        .join(NetworkPerson, NetworkPerson.id == NetworkThreadMember.person_id)
        .where(NetworkThreadMember.thread_id.in_(thread_ids), NetworkThreadMember.person_id != call.person.id)
    )
    others: dict[int, NetworkPerson] = dict(members.all())
    last_ids = [thread.last_message_id for thread in threads if thread.last_message_id is not None]
    last_messages = await call.session.execute(
        select(NetworkMessage.id, NetworkMessage.created_at).where(NetworkMessage.id.in_(last_ids))
    )
    sent_at: dict[int, datetime] = dict(last_messages.all())
    return [
        Conversation(
            thread=thread,
            account=call.person,
            other=others[thread.id],
            updated_at=sent_at.get(thread.last_message_id or 0, thread.created_at),
        )
        for thread in threads
        if thread.id in others  # the other person's account is gone
    ]


def _platform(call: Call) -> None:
    platform = call.param("platform")
    # facebook-business sends its enum's value, INSTAGRAM; Meta's reference writes it in lower case.
    if platform is not None and platform.lower() != "instagram":
        raise nodes.invalid_parameter("Param platform must be one of {instagram}")


async def _list_conversations(call: Call, account: NetworkPerson, page: PageArgs) -> Page:
    """`{ig-user-id}/conversations?platform=instagram[&user_id=IGSID]`: the account's conversations that have a
    message, most recent activity first."""
    call.require(MANAGE_MESSAGES)
    _platform(call)
    statement = (
        select(NetworkMessageThread)
        .join(
            NetworkThreadMember,
            and_(
                NetworkThreadMember.thread_id == NetworkMessageThread.id,
                NetworkThreadMember.person_id == call.person.id,
            ),
        )
        .where(NetworkMessageThread.last_message_id.is_not(None))
        .execution_options(populate_existing=True)
    )
    if (user_id := call.param("user_id")) is not None:
        other = parse_id(user_id)
        if other is None:
            raise _no_matching_user()
        statement = statement.where(NetworkMessageThread.pair_key == direct_messages.pair_key(call.person.id, other))
    # Only threads with a message are listed, so the key is never null.
    key = cast(InstrumentedAttribute[int], NetworkMessageThread.last_message_id)
    found = await nodes.keyset_page(call, statement, key, page)
    conversations = await _conversations(call, found.items)
    return Page(conversations, after=found.after, before=found.before, has_next=found.has_next)


async def _member_thread(call: Call, thread_id: int) -> NetworkMessageThread | None:
    return await call.session.scalar(
        select(NetworkMessageThread)
        .join(
            NetworkThreadMember,
            and_(
                NetworkThreadMember.thread_id == NetworkMessageThread.id,
                NetworkThreadMember.person_id == call.person.id,
            ),
        )
        .where(NetworkMessageThread.id == thread_id)
    )


async def _load_conversation(call: Call, thread_id: int) -> Conversation | None:
    thread = await _member_thread(call, thread_id)
    if thread is None:
        return None
    call.require(MANAGE_MESSAGES)
    found = await _conversations(call, [thread])
    return found[0] if found else None


async def _participants(call: Call, conversation: Conversation, page: PageArgs) -> Page:
    return Page([conversation.account, conversation.other])


async def _list_messages(call: Call, conversation: Conversation, page: PageArgs) -> Page:
    """The conversation's messages, newest first."""
    call.require(MANAGE_MESSAGES)
    statement = (
        select(NetworkMessage)
        .options(joinedload(NetworkMessage.sender))
        .where(NetworkMessage.thread_id == conversation.thread.id)
    )
    found = await nodes.keyset_page(call, statement, NetworkMessage.id, page)
    messages = [_as_message(conversation, message) for message in found.items]
    return Page(messages, after=found.after, before=found.before, has_next=found.has_next)


def _as_message(conversation: Conversation, message: NetworkMessage) -> Message:
    recipient = conversation.other if message.sender_id == conversation.account.id else conversation.account
    return Message(message=message, recipient=recipient)


USER.edges["conversations"] = Edge("Conversation", list=_list_conversations)
CONVERSATION.fields.update(
    {
        "id": lambda call, conversation: str(conversation.thread.id),
        "updated_time": lambda call, conversation: graph_time(conversation.updated_at),
    }
)
CONVERSATION.edges.update(
    {
        "participants": Edge("MessagingParty", list=_participants),
        "messages": Edge("Message", list=_list_messages),
    }
)
CONVERSATION.load = _load_conversation


# Messages


async def _load_message(call: Call, message_id: int) -> Message | None:
    message = await call.session.scalar(
        select(NetworkMessage).options(joinedload(NetworkMessage.sender)).where(NetworkMessage.id == message_id)
    )
    if message is None:
        return None
    conversation = await _load_conversation(call, message.thread_id)
    return _as_message(conversation, message) if conversation is not None else None


async def _sender(call: Call, message: Message, args: Any) -> NetworkPerson:
    return message.message.sender


async def _recipients(call: Call, message: Message, page: PageArgs) -> Page:
    return Page([message.recipient])


MESSAGE.fields.update(
    {
        "id": lambda call, message: str(message.message.id),
        "created_time": lambda call, message: graph_time(message.message.created_at),
        "message": lambda call, message: message.message.text,
    }
)
MESSAGE.related["from"] = Related("MessagingParty", _sender)
MESSAGE.edges["to"] = Edge("MessagingParty", list=_recipients)
MESSAGE.load = _load_message
PARTY.fields.update(
    {
        "username": lambda call, person: person.username,
        "id": lambda call, person: str(person.id),
    }
)

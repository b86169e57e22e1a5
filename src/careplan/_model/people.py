"""The people a plan is about and the plan they write for themselves: client,
care team, relapse prevention plan.

Every field may identify someone, so reprs and errors leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from careplan._model.checks import hidden, optional_text, text, tuple_converted

__all__ = ["CareTeamMember", "Client", "RelapsePreventionPlan"]


@attrs.frozen
class Client:
    """The person the plan is for.

    Both fields may identify the client, so the repr and errors leave them out.

    Attributes:
        id: An identifier of the clinic's choosing (an MRN, a UUID). It never
            appears in calendar exports.
        name: Display name; optional so a plan can be kept pseudonymous.

    >>> Client("MRN-0042", "Alex Doe")
    Client(id=<hidden>, name=<hidden>)
    """

    id: str = attrs.field(repr=hidden)
    name: str | None = attrs.field(default=None, repr=hidden)

    def __attrs_post_init__(self) -> None:
        text("Client.id", self.id, blank=False)
        optional_text("Client.name", self.name)


@attrs.frozen
class CareTeamMember:
    """Someone on the client's care team.

    Attributes:
        name: The person's name; hidden from the repr.
        role: Their role ("therapist", "psychiatrist", "case manager");
            hidden from the repr.
    """

    name: str = attrs.field(repr=hidden)
    role: str = attrs.field(repr=hidden)

    def __attrs_post_init__(self) -> None:
        text("CareTeamMember.name", self.name)
        text("CareTeamMember.role", self.role)


def _multiline(field: str, value: object) -> str:
    return text(field, value, multiline=True)


def _triggers(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("RelapsePreventionPlan.triggers", value, _multiline, "strings")


def _warning_signs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("RelapsePreventionPlan.warning_signs", value, _multiline, "strings")


def _coping(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("RelapsePreventionPlan.coping_strategies", value, _multiline, "strings")


def _supports(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("RelapsePreventionPlan.supports", value, _multiline, "strings")


@attrs.frozen
class RelapsePreventionPlan:
    """The client's relapse prevention plan, in their own words.

    Each item is text (tabs and line feeds allowed); the repr shows only how
    many there are.

    Attributes:
        triggers: People, places, feelings that raise risk.
        warning_signs: Early signs the client or others can notice.
        coping_strategies: What the client does when a trigger or sign shows.
        supports: Who to call (names or roles, no phone numbers needed).
    """

    triggers: tuple[str, ...] = attrs.field(default=(), converter=_triggers, repr=hidden)
    warning_signs: tuple[str, ...] = attrs.field(default=(), converter=_warning_signs, repr=hidden)
    coping_strategies: tuple[str, ...] = attrs.field(default=(), converter=_coping, repr=hidden)
    supports: tuple[str, ...] = attrs.field(default=(), converter=_supports, repr=hidden)

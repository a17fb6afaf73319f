"""Syntax tree of Eloqua markup language (EML v3) statements, reference §6.

Two layers: the generic :class:`Statement` (what the parser sees: dot-separated segments,
each with an optional ``[id]`` or ``(name)``) and one frozen node class per statement form
(what the rest of the emulator reasons about). Each node class lists its forms in ``FORMS``;
``forms.classify`` and ``forms.format_statement`` are driven by those patterns alone, so a new
form is one class here. Spans (``start``/``end``) never take part in equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import ClassVar


@dataclass(frozen=True)
class Segment:
    name: str
    index: int | None = None
    argument: str | None = None
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    @property
    def text(self) -> str:
        if self.index is not None:
            return f"{self.name}[{self.index}]"
        if self.argument is not None:
            return f"{self.name}({self.argument})"
        return self.name


@dataclass(frozen=True)
class Statement:
    """A parsed ``{{...}}``; keywords are already in their canonical case."""

    segments: tuple[Segment, ...]
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    @property
    def text(self) -> str:
        return "{{" + ".".join(segment.text for segment in self.segments) + "}}"

    def shifted(self, offset: int) -> Statement:
        """The same statement with spans moved ``offset`` characters right."""
        segments = tuple(
            replace(s, start=s.start + offset, end=s.end + offset) for s in self.segments
        )
        return Statement(segments, self.start + offset, self.end + offset)


# Typed forms. Pattern syntax: ``Name``, ``Name[field]`` (an integer id), ``Name(field)`` (an
# internal name), ``Name(field:guid)`` (a dashless service instance id), ``{attribute}`` (one of
# the class's ``ATTRIBUTES``).


@dataclass(frozen=True)
class Node:
    FORMS: ClassVar[tuple[str, ...]] = ()
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True)
class FieldStatement(Node):
    """A statement that names a value: usable in ``fields`` and in filter comparisons."""


@dataclass(frozen=True)
class ContactAttribute(FieldStatement):
    attribute: str
    FORMS = ("Contact.{attribute}",)
    ATTRIBUTES = ("Id", "CreatedAt", "UpdatedAt")


@dataclass(frozen=True)
class ContactEmailAttribute(FieldStatement):
    attribute: str
    FORMS = ("Contact.Email.{attribute}",)
    ATTRIBUTES = ("IsSubscribed", "IsBounced", "Format")


@dataclass(frozen=True)
class ContactField(FieldStatement):
    name: str
    FORMS = ("Contact.Field(name)",)


@dataclass(frozen=True)
class ContactAccountField(FieldStatement):
    name: str
    FORMS = ("Contact.Account.Field(name)",)


@dataclass(frozen=True)
class ContactLeadScore(FieldStatement):
    model_id: int
    attribute: str
    FORMS = ("Contact.LeadScore.Model[model_id].{attribute}",)
    ATTRIBUTES = ("Rating", "ProfileScore", "EngagementScore")


@dataclass(frozen=True)
class ContactCampaignId(FieldStatement):
    FORMS = ("Contact.Campaign.Id",)


@dataclass(frozen=True)
class ContactCampaignField(FieldStatement):
    name: str
    FORMS = ("Contact.Campaign.Field(name)",)


@dataclass(frozen=True)
class AccountAttribute(FieldStatement):
    attribute: str
    FORMS = ("Account.{attribute}",)
    ATTRIBUTES = ("Id", "CreatedAt", "UpdatedAt")


@dataclass(frozen=True)
class AccountField(FieldStatement):
    name: str
    FORMS = ("Account.Field(name)",)


@dataclass(frozen=True)
class AccountUserField(FieldStatement):
    name: str
    FORMS = ("Account.User.Field(name)",)


@dataclass(frozen=True)
class CustomObjectAttribute(FieldStatement):
    object_id: int
    attribute: str
    FORMS = ("CustomObject[object_id].{attribute}",)
    ATTRIBUTES = ("Id", "ExternalId", "CreatedAt", "UpdatedAt")


@dataclass(frozen=True)
class CustomObjectField(FieldStatement):
    object_id: int
    field_id: int
    FORMS = ("CustomObject[object_id].Field[field_id]",)


@dataclass(frozen=True)
class CustomObjectContactField(FieldStatement):
    object_id: int
    name: str
    FORMS = ("CustomObject[object_id].Contact.Field(name)",)


@dataclass(frozen=True)
class EventField(FieldStatement):
    event_id: int
    field_id: int
    FORMS = ("Event[event_id].Field[field_id]",)


@dataclass(frozen=True)
class ActivityAttribute(FieldStatement):
    attribute: str
    FORMS = ("Activity.{attribute}",)
    ATTRIBUTES = ("Id", "Type", "CreatedAt", "ExternalId")


@dataclass(frozen=True)
class ActivityField(FieldStatement):
    name: str
    FORMS = ("Activity.Field(name)",)


@dataclass(frozen=True)
class ActivityContactId(FieldStatement):
    FORMS = ("Activity.Contact.Id",)


@dataclass(frozen=True)
class ActivityContactField(FieldStatement):
    name: str
    FORMS = ("Activity.Contact.Field(name)",)


@dataclass(frozen=True)
class ActivityVisitorAttribute(FieldStatement):
    attribute: str
    FORMS = ("Activity.Visitor.{attribute}",)
    ATTRIBUTES = ("Id", "ExternalId")


@dataclass(frozen=True)
class ActivityAssetAttribute(FieldStatement):
    attribute: str
    FORMS = ("Activity.Asset.{attribute}",)
    ATTRIBUTES = ("Type", "Name", "Id")


@dataclass(frozen=True)
class ActivityCampaignId(FieldStatement):
    FORMS = ("Activity.Campaign.Id",)


@dataclass(frozen=True)
class ActivityCampaignField(FieldStatement):
    name: str
    FORMS = ("Activity.Campaign.Field(name)",)


@dataclass(frozen=True)
class ActivityCampaignResponseCreatedAt(FieldStatement):
    FORMS = ("Activity.CampaignResponse.CreatedAt",)


@dataclass(frozen=True)
class ActivityCampaignResponseField(FieldStatement):
    name: str
    FORMS = ("Activity.CampaignResponse.Field(name)",)


@dataclass(frozen=True)
class OpportunityAttribute(FieldStatement):
    attribute: str
    FORMS = ("Opportunity.{attribute}",)
    ATTRIBUTES = ("Id", "CreatedAt")


@dataclass(frozen=True)
class OpportunityField(FieldStatement):
    name: str
    FORMS = ("Opportunity.Field(name)",)


@dataclass(frozen=True)
class OpportunityContactField(FieldStatement):
    """Match field of an opportunity-contact linkage import (``/opportunities/contacts``)."""

    name: str
    FORMS = ("Opportunity.Contact.Field(name)",)


@dataclass(frozen=True)
class OpportunityAccountField(FieldStatement):
    """Linkage through accounts: the form is [INF], by analogy with the contact one."""

    name: str
    FORMS = ("Opportunity.Account.Field(name)",)


@dataclass(frozen=True)
class CampaignResponseAttribute(FieldStatement):
    attribute: str
    FORMS = ("CampaignResponse.{attribute}",)
    ATTRIBUTES = ("Id", "CreatedAt")


@dataclass(frozen=True)
class CampaignResponseField(FieldStatement):
    name: str
    FORMS = ("CampaignResponse.Field(name)",)


@dataclass(frozen=True)
class CampaignResponseCampaignId(FieldStatement):
    FORMS = ("CampaignResponse.Campaign.Id",)


@dataclass(frozen=True)
class CampaignResponseContactId(FieldStatement):
    FORMS = ("CampaignResponse.Contact.Id",)


@dataclass(frozen=True)
class CampaignField(FieldStatement):
    """The form ``/campaigns/fields`` lists; no definition family takes it in ``fields``."""

    name: str
    FORMS = ("Campaign.Field(name)",)


@dataclass(frozen=True)
class EmailAddressField(FieldStatement):
    """Only ``EmailAddress.Field(EmailAddress)`` exists; the resolver checks the name."""

    name: str
    FORMS = ("EmailAddress.Field(name)",)


@dataclass(frozen=True)
class Container(Node):
    """A catalog container: EXISTS operand and/or sync-action destination."""

    id: int
    FAMILY: ClassVar[str] = ""


@dataclass(frozen=True)
class ContactList(Container):
    FORMS = ("ContactList[id]",)
    FAMILY = "contactLists"


@dataclass(frozen=True)
class ContactSegment(Container):
    FORMS = ("ContactSegment[id]",)
    FAMILY = "contactSegments"


@dataclass(frozen=True)
class ContactFilter(Container):
    FORMS = ("ContactFilter[id]",)
    FAMILY = "contactFilters"


@dataclass(frozen=True)
class AccountList(Container):
    FORMS = ("AccountList[id]",)
    FAMILY = "accountLists"


@dataclass(frozen=True)
class EmailGroup(Container):
    FORMS = ("EmailGroup[id]",)
    FAMILY = "emailGroups"


@dataclass(frozen=True)
class GlobalSubscribe(Node):
    FORMS = ("GlobalSubscribe",)


@dataclass(frozen=True)
class ServiceInstance(Node):
    """An AppCloud step: ``instance`` is the dashless GUID in lower case."""

    instance: str
    execution: int | None = None


@dataclass(frozen=True)
class ActionInstance(ServiceInstance):
    FORMS = ("ActionInstance(instance:guid)", "ActionInstance(instance:guid).Execution[execution]")


@dataclass(frozen=True)
class DecisionInstance(ServiceInstance):
    FORMS = (
        "DecisionInstance(instance:guid)",
        "DecisionInstance(instance:guid).Execution[execution]",
    )


@dataclass(frozen=True)
class FeederInstance(ServiceInstance):
    """``FeederInstance(<guid32>)`` is the [INF] form of §8; the execution form by analogy."""

    FORMS = ("FeederInstance(instance:guid)", "FeederInstance(instance:guid).Execution[execution]")


def _forms(base: type[Node]) -> list[type[Node]]:
    found = [base] if base.FORMS else []
    return found + [n for sub in base.__subclasses__() for n in _forms(sub)]


NODE_TYPES: tuple[type[Node], ...] = tuple(_forms(Node))

SERVICE_SEGMENTS = frozenset({"ActionInstance", "DecisionInstance", "FeederInstance"})


def _keywords() -> dict[str, str]:
    """Every entity and attribute keyword, folded → canonical (``contact`` → ``Contact``)."""
    words: set[str] = set()
    for node in NODE_TYPES:
        words.update(node.ATTRIBUTES)
        for form in node.FORMS:
            words.update(re.findall(r"(?:^|\.)([A-Za-z]+)", form))
    return {word.lower(): word for word in words}


KEYWORDS = _keywords()

"""Request bodies of the admin API, validated by pydantic: unknown fields and wrong types are 422."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

MEETING_NUMBER = r"^[0-9]{1,3}/[0-9]{4}$"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ImportRequest(_Body):
    text: str | None = None
    url: str | None = Field(default=None, max_length=2048)
    source_url: str | None = Field(default=None, max_length=2048)
    publish: bool = False

    @model_validator(mode="after")
    def _text_or_url(self) -> Self:
        if (self.text is None) == (self.url is None):
            raise ValueError("give either text (with an optional source_url) or url, not both")
        if self.url is not None and self.source_url is not None:
            raise ValueError("source_url goes with text; with url, the url is the source")
        return self


class DirectiveEdit(_Body):
    seq: int = Field(ge=1, le=999)
    title: str | None = Field(default=None, min_length=1, max_length=255)
    text: str | None = Field(default=None, min_length=1, max_length=100_000)
    categories: list[str] | None = Field(default=None, max_length=10)
    status: Literal["active", "closed"] | None = None
    deadline: dt.date | None = None  # null: the directive has no deadline any more
    remove: bool = False

    @property
    def clear_deadline(self) -> bool:
        return "deadline" in self.model_fields_set and self.deadline is None


class MeetingEdit(_Body):
    title: str | None = Field(default=None, min_length=1, max_length=2000)
    date: dt.date | None = None
    number: str | None = Field(default=None, pattern=MEETING_NUMBER)
    chair: str | None = Field(default=None, max_length=500)
    directives: list[DirectiveEdit] = Field(default_factory=list, max_length=200)
    notify_groups: bool = False  # a published meeting: tell the groups that received it what changed

    @model_validator(mode="after")
    def _title_cannot_be_cleared(self) -> Self:
        if "title" in self.model_fields_set and self.title is None:
            raise ValueError("title cannot be empty")
        return self

    def cleared(self) -> frozenset[str]:
        """Fields sent as null: the administrator empties them."""
        return frozenset(
            name
            for name in ("date", "number", "chair")
            if name in self.model_fields_set and getattr(self, name) is None
        )

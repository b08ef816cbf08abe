"""Reading the department's meeting news into drafts: plain functions, no Flask, no database.

``parse_article(text_or_html, source_url=None) -> MeetingDraft`` is the entry point; ``classify``
gives the 10E categories of any text, ``explain`` says why.
"""

from meetings.parsing.article import parse_article
from meetings.parsing.classify import classify, explain
from meetings.parsing.model import DirectiveDraft, MeetingDraft

__all__ = ["DirectiveDraft", "MeetingDraft", "classify", "explain", "parse_article"]

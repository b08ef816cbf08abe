"""Reading the department's meeting news into drafts: plain functions, no Flask, no database.

``parse_article(text_or_html, source_url=None) -> MeetingDraft`` is the entry point; ``classify``
gives the 10E categories of any text, ``explain`` says why.
"""

from bot.parsing.article import parse_article
from bot.parsing.classify import classify, explain
from bot.parsing.model import DirectiveDraft, MeetingDraft

__all__ = ["DirectiveDraft", "MeetingDraft", "classify", "explain", "parse_article"]

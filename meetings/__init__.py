"""The meetings domain: articles parsed into meetings and directives, their ingest, and the writes.

`parsing/` reads an article into a draft, `ingest/` brings articles in (paste, upload, URL, feeds)
and `store.py` saves, edits and publishes meetings. Reading published content stays in the core
(`bot/content.py`, `bot/search.py`): handlers, broadcasts and the home page read it.
"""

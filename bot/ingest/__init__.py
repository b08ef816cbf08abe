"""Ingesting meeting news: an article (text, HTML, a file or a URL) becomes a stored meeting draft.

`service` holds the one path every entry point takes (CLI, admin API, feed polling); `fetch` gets
pages from the web safely; `feeds` polls news sources on a schedule.
"""

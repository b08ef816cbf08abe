"""The DLA LINE bot: the core package (settings, database, models, Redis helpers, CLI, app factory).

Importing it does nothing; `bot.app.create_app` builds everything.
"""

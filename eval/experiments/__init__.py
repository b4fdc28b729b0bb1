"""One-off experiments behind the design notes in ``eval/README.md`` (not part of ``make eval``)."""

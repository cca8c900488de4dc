"""Use cases over the store. Each takes a Database, returns frozen dataclasses and raises
domain errors (desktop_app.domain.errors) whose message a person can act on."""

"""Exceptions that services raise and the web layer turns into responses."""


class NotFound(Exception):
    """The object does not exist, or the caller may not see it (both answer 404)."""


class Invalid(Exception):
    """Input was rejected; `errors` maps a field (or '' for the whole form) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in errors.items()))
        self.errors = errors

"""The one error the coaching services raise."""


class CoachingError(Exception):
    """Bad input or a broken workflow rule. `errors` maps a field name (None: the whole form)
    to its messages; `field` and `message` are the first of them."""

    def __init__(self, errors: dict[str | None, list[str]] | str, *, field: str | None = None):
        if isinstance(errors, str):
            errors = {field: [errors]}
        self.errors = errors
        self.field = next(iter(errors))
        self.message = errors[self.field][0]
        super().__init__(self.message)

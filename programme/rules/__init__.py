"""The programme's rules, one module each, pure functions with tests in tests/programme/."""


class ProgrammeRuleError(Exception):
    """A broken programme rule. `rule` names it, `field` says which input it is about."""

    def __init__(self, message: str, *, rule: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.field = field

"""The programme's rules, one module each, pure functions with tests in tests/programme/. A broken
rule raises ui.errors.RuleError, naming the rule and the field it is about."""

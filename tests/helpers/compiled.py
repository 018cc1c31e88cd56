"""What every app of a test run compiles the same way, compiled once per run.

Each test builds its own app (tests/conftest.py), and a new app compiles again what does
not change from one app to the next: its Jinja templates and its URL rules' builders.
Both are pure functions of their source, so the run keeps what the first app compiled.
"""

from jinja2 import BytecodeCache
from werkzeug.routing.rules import Rule


class CompiledTemplates(BytecodeCache):
    """Jinja's own cache of compiled templates, kept in memory for the run. Jinja checks
    each template's source against what was kept: a changed template is compiled anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()

_compile_builder = Rule._compile_builder
_builders: dict[tuple, object] = {}


def _kept_builder(rule: Rule, append_unknown: bool = True):
    """Werkzeug generates and compiles Python code for each rule's URL builder, from the rule
    (its text, parsed parts and defaults) alone: the same rule gets the same function."""
    key = (rule.rule, tuple(rule._trace), repr(sorted((rule.defaults or {}).items())))
    key += (append_unknown,)
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


def keep_compiled_url_builders() -> None:
    Rule._compile_builder = _kept_builder

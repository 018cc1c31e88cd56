"""What the tests share, so that no test module imports another.

Each module here is plain code the test files import: the one permission-matrix driver
(``matrix``), the comparison of a denied page with a missing one (``pages``), and the
helpers several folders use (bad input, fuzzing, mail, migrations, statement counting, ...).
Fixtures stay in the ``conftest.py`` files and object builders in ``tests/factories.py``;
a helper lives here as soon as a second test module needs it.
"""

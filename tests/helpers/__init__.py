"""What the tests share, so that no test module imports another.

A test module imports from here, from ``tests/factories.py`` (object builders) and from
``tests/conftest.py`` (fixtures every folder uses); never from another ``test_*.py``.
A helper moves here as soon as a second test module needs it.

- ``matrix``: the permission-matrix driver. A matrix file declares its pages, actions and
  answers per actor as data; ``assert_pages`` and ``assert_actions`` walk one actor's row.
- ``pages``: a denied object's page compared with a missing one's.
- ``bad_input``, ``fuzz``: refused forms write nothing; Hypothesis settings and text.
- ``accounts``, ``mail``, ``rows``: password resets and second-factor enrolment through the
  pages, the mails the outbox sends, rows as the app committed them.
- ``minutes``, ``trainings``, ``training_followup``, ``notifications``, ``calendar_expansion``,
  ``hostile_files``, ``pdf``: what the tests of one feature need and others borrow.
- ``migrations``, ``backends``, ``statements``, ``demo``, ``i18n``, ``routes``: a fresh
  database, PostgreSQL-only tests, statement counts, the demo command, the catalogue, and
  a URL for every route.

The few fixtures only some modules want (``fresh_app``, ``postgres_only``,
``app_overrides`` without throttling) are defined here and imported by those modules by
name, hence their ``noqa`` comments.
"""

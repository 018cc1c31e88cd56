"""Comparing pages that must not differ: a denied object's answer and a missing one's."""

import re

# The same request id on both requests, so the pages compared differ only where they leak.
LEAK_CHECK_HEADERS = {"X-Request-ID": "leak-check-0001"}


def normalised(response, path: str) -> str:
    """The page with its path and form token (signed with the time) blanked."""
    page = response.get_data(as_text=True).replace(path, "{path}")
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', page)


def assert_looks_missing(denied, denied_path: str, missing, missing_path: str) -> None:
    """A denied object's answer is a 404 exactly like a missing one's."""
    assert denied.status_code == missing.status_code == 404
    assert normalised(denied, denied_path) == normalised(missing, missing_path)


def page_title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)

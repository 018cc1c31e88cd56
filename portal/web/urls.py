"""Absolute links for emails, built from PORTAL_BASE_URL and never from the request's Host."""

from flask import current_app


def external_url(endpoint: str, **values: object) -> str:
    adapter = current_app.url_map.bind("portal.invalid")
    path = adapter.build(endpoint, values)
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + path

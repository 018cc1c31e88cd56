"""The figures of an implementation report page, as its tables' data attributes give them."""

import re


def figures(page: str) -> dict:
    """(table, row, column) -> the value as the page's data attributes give it."""
    found = {}
    for table, body in re.findall(r'<table[^>]*data-table="([^"]+)">(.*?)</table>', page, re.S):
        for key, row in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', body, re.S):
            for column, value in re.findall(r'data-column="([^"]+)" data-value="([^"]*)"', row):
                found[(table, key, column)] = value
    return found

"""Routes walked one by one: a URL for each rule, with dummy values for its variables."""

DUMMY_ID = 1

# Variable parts that take words, not ids.
DUMMY_WORDS = {"direction": "up", "token": "no-such-token", "code": "no-such-code"}


def example_url(rule) -> str:
    """The rule's URL with a dummy value for every variable part."""
    _, url = rule.build({name: DUMMY_WORDS.get(name, DUMMY_ID) for name in rule.arguments})
    return url

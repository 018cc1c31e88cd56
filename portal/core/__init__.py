"""The kernel every layer may use: database types, errors, tokens, time, languages, the
shared permission rules and kept output. It imports no feature and no web module."""

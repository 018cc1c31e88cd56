"""Commitments send no mail of their own: a change shows on the commitment's page, the MoU's
page and the coordinators' overview, and is in the audit log. The kinds declared are none."""

MAIL_KINDS: dict = {}

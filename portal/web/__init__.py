"""Request plumbing shared by the features: the forms base, error pages, navigation,
paging, security headers, the one commit per request."""

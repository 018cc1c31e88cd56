"""Exceptions that services raise; portal.views_errors turns them into pages."""


class ServiceError(Exception):
    """Base of the errors a service raises for the view to show."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The object does not exist, or the actor may not learn that it does."""


class Denied(NotFound):
    """The object exists but the actor may not see it: answered as 404, audited as a denial."""

    def __init__(self, object_type: str, object_id: object) -> None:
        super().__init__()
        self.object_type = object_type
        self.object_id = object_id


class NotVisible(Denied):
    """Missing, or there but hidden from the actor: one query could not tell which without
    doing more work for one than for the other. Answered as 404; audited as a denial, after
    the response, if an object of `model` with this id exists."""

    def __init__(self, object_type: str, object_id: object, model: type) -> None:
        super().__init__(object_type, object_id)
        self.model = model


class Forbidden(ServiceError):
    """The actor may see the object but not do this to it."""


class Conflict(ServiceError):
    """The change clashes with the current state (duplicate, stale, already used)."""


class ValidationError(ServiceError):
    """Input that passed the form but breaks a domain rule; field names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

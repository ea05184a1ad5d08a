"""Errors a user can cause, each naming the thing at fault and the fix."""


class CasewiseError(Exception):
    """A problem the user can fix; the message names the thing and the fix."""


class DocumentError(CasewiseError):
    """One input document cannot be ingested; other documents go on."""

    def __init__(self, path: str, reason: str, page: int | None = None) -> None:
        where = f"{path} (page {page})" if page else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.page = page


class SettingsError(CasewiseError):
    """A setting or configuration value is wrong."""


class IndexMissingError(CasewiseError):
    """The index has not been built yet."""

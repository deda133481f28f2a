"""The error that sets a whole cost-sheet document aside (PDF, XLSX or CSV): no module that
raises it has to import another reader to do so."""


class DocumentError(Exception):
    """The whole document cannot be read; the message is the reason a person reads."""

    def __init__(self, reason: str, check: str):
        super().__init__(reason)
        self.reason, self.check = reason, check

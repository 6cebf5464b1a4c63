class FileRefused(Exception):
    """An upload the portal does not keep; the message says why, for the person uploading it.
    Not a ValueError, so that the checks' own handling of parse errors never swallows it."""

"""Errors a user can act on.

Every error that reaches the command line as a message (not a traceback)
derives from :class:`UserError`. The CLI prints ``str(error)`` on one line and
exits with ``error.exit_code``:

* :class:`ConfigError` (exit 2): what the user wrote is wrong: an unknown
  paradigm or environment id, a setting out of range, a path that does not
  exist.
* :class:`DataError` (exit 1): a file exists but cannot be used: truncated,
  corrupt, wrong columns, NaNs. The message names the file (and column or
  value) and says what to do.

Both are also ``ValueError`` so that library users can catch them the usual way.
"""

from __future__ import annotations


class UserError(Exception):
    """An error with a message meant for the user, not a bug."""

    exit_code: int = 1


class ConfigError(UserError, ValueError):
    """Bad usage: an unknown name, a nonsense setting, a missing path."""

    exit_code = 2


class DataError(UserError, ValueError):
    """A data file (or data set) that exists but cannot be used as it is."""

    exit_code = 1

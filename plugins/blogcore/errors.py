"""The one error root of the pipeline, as MkDocs' exceptions.py has one for its tools.

Every mistake a person can fix (in content or in settings) is a PipelineError whose
message is the whole report; the command-line tools and the dev server catch this one
class, print the message and exit non-zero, never a traceback.
"""


class PipelineError(Exception):
    """A mistake in the site's content or settings; the message says what and how to fix it."""

    exitcode = 1


class SettingsError(PipelineError):
    """One or more settings are wrong; the message has one line per mistake."""

"""The Telegram side: wiring, access control and thin handlers."""

import os

# Opt into python-telegram-bot's timedelta durations now (the default in its next major):
# without it PTB emits a deprecation warning while building RetryAfter, in the middle of
# flood-control handling.
os.environ.setdefault("PTB_TIMEDELTA", "true")

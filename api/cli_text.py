"""argparse speaking Vietnamese (with the English in brackets), for the ``tracuu`` command.

Why not gettext: argparse looks its own strings ("usage:", "options", "show this help message
and exit", its error messages) up through the process-wide gettext, and a process-wide
translation would also change every other program's argparse in the same interpreter (pytest).
So :class:`VietParser` sets its own titles and help option, and :func:`translate_error` rewrites
argparse's few error messages, only for this parser.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

USAGE = "Cách dùng (usage): "
POSITIONALS = "tham số (positional arguments)"
OPTIONS = "tùy chọn (options)"
HELP = "in hướng dẫn này rồi thoát (show this help message and exit)"
COMMANDS = "lệnh (commands)"

# argparse's messages (Python 3.11), as regular expressions, and how to say them.
_ERRORS: list[tuple[str, str]] = [
    (r"the following arguments are required: (.+)", r"thiếu tham số bắt buộc: \1 (the following arguments are required: \1)"),
    (r"unrecognized arguments: (.+)", r"tham số không nhận ra: \1 (unrecognized arguments: \1)"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", r"tham số \1: giá trị không hợp lệ \2; chọn một trong: \3 (invalid choice)"),
    (r"argument (\S+): invalid (\w+) value: (.+)", r"tham số \1: giá trị \3 không phải số hợp lệ (invalid \2 value: \3)"),
    (r"argument (\S+): expected one argument", r"tham số \1 cần một giá trị (expected one argument)"),
    (r"argument (\S+): ignored explicit argument (.+)", r"tham số \1 không nhận giá trị \2 (ignored explicit argument \2)"),
    (r"argument (\S+): (.+)", r"tham số \1: \2"),
]


def translate_error(message: str) -> str:
    for pattern, repl in _ERRORS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, repl, message)
    return message


class VietFormatter(argparse.RawDescriptionHelpFormatter):
    """Help text with a Vietnamese "usage" prefix; descriptions keep their line breaks."""

    def _format_usage(self, usage, actions, groups, prefix):  # type: ignore[override]
        return super()._format_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class VietParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are Vietnamese (English in brackets)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", VietFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONS
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi (error): {translate_error(message)}\n")


__all__ = ["VietParser", "VietFormatter", "translate_error", "COMMANDS"]

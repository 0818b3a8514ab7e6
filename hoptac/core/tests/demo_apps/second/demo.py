from typing import TextIO


def load(out: TextIO) -> None:
    out.write("second\n")

"""The indicators' demo step: build the tally over the demo data the other apps loaded."""

from typing import TextIO

from .tally import building


def load(out: TextIO) -> None:
    state = building.build()
    out.write(f"tally: {state.first_year}–{state.last_year} in {state.build_seconds:.1f} s\n")

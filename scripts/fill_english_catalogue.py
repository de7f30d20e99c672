"""English is the source language: its catalogue's translations are the messages themselves.

Run after `pybabel update` so the English catalogue is complete, like the Spanish one.
"""

import sys

from babel.messages.pofile import read_po, write_po


def main(path: str) -> None:
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "app/translations/en/LC_MESSAGES/messages.po")

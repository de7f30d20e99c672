"""The content check's and the Moodle reader's messages in the trainer's language.

`load_bank` speaks English to authors of files (it is pure and knows no locale); the editor
shows the same messages translated. Each pattern captures the message's variable parts; a
message no pattern knows is shown as the check wrote it.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

PATTERNS = [
    (r"must not be empty", _l("must not be empty")),
    (r"a value is required", _l("a value is required")),
    (r"'(?P<name>[^']+)' is required", _l("“%(name)s” is required")),
    (r"the (?:Spanish|English) version \('(?P<code>es|en)'\) is missing", _l("the %(code)s version is missing")),
    (r"an exercise needs items or a draw", _l("an exercise needs at least one item")),
    (
        r"at least one option must be correct and one incorrect",
        _l("at least one option must be appropriate and one not"),
    ),
    (r"the keys must not all be equal", _l("the options must not all have the same effectiveness")),
    (
        r"exactly one option must have the highest key \((?P<key>\d+)\)",
        _l("exactly one option must have the highest effectiveness (%(key)s)"),
    ),
    (
        r"ranks \[(?P<ranks>[^\]]*)\] are not a permutation of 1\.\.(?P<n>\d+)",
        _l("the ranks (%(ranks)s) must be 1 to %(n)s, each once"),
    ),
    (
        r"groups \[(?P<groups>[^\]]*)\] must be 1, 2, … with no gap, and at least two of them",
        _l("the groups (%(groups)s) must be 1, 2… with no gap, and at least two"),
    ),
    (
        r"duplicate (?P<entity>item|option|step|choice) id '(?P<id>[^']+)'(?: \(also defined in (?P<where>[^)]+)\))?",
        _l("the id “%(id)s” is already used"),
    ),
    (
        r"'(?P<id>[^']+)' is not a valid id \(lower-case letters, digits and hyphens\)",
        _l("“%(id)s” is not a valid id: use lower-case letters, digits and hyphens"),
    ),
    (r"unknown competency code '(?P<code>[^']+)'", _l("unknown competency “%(code)s”")),
    (r"must be greater than 0 \(got (?P<value>[^)]+)\)", _l("must be greater than 0")),
    (r"(?P<value>\S+) is out of range: .*", _l("%(value)s is out of range")),
    (r"no rubric '(?P<id>[^']+)' in rubrics/grading/", _l("there is no rubric “%(id)s”")),
    (r"no item '(?P<id>[^']+)' in the bank", _l("there is no item “%(id)s” in the bank")),
    (r"cannot draw (?P<count>\d+) items from (?P<n>\d+)", _l("cannot draw %(count)s items from %(n)s")),
    (r"listed twice: (?P<ids>.*)", _l("listed twice: %(ids)s")),
    (
        r"'(?P<id>[^']+)' is in a secure pool: .*",
        _l(
            "“%(id)s” is in a secure pool: only an exercise without open practice or feedback after each item may draw it"
        ),
    ),
    (r"no competency is measured: no choice earns points", _l("no competency is measured: no choice earns points")),
    (
        r"'(?P<id>[^']+)' is drawn by '(?P<other>[^']+)': it cannot be removed",
        _l("“%(id)s” is drawn by “%(other)s”: it cannot be removed"),
    ),
    (r"the start step '(?P<id>[^']*)' does not exist", _l("the first step “%(id)s” does not exist")),
    (r"ending step '(?P<id>[^']*)' must not have choices", _l("the ending “%(id)s” must not have choices")),
    (r"ending step '(?P<id>[^']*)' needs an outcome", _l("the ending “%(id)s” needs an outcome")),
    (r"step '(?P<id>[^']*)' needs a narrative", _l("the step “%(id)s” needs a narrative")),
    (
        r"step '(?P<id>[^']*)' needs at least two choices \(or end: true\)",
        _l("the step “%(id)s” needs at least two choices (or to be an ending)"),
    ),
    (
        r"this choice leads nowhere: there is no step '(?P<id>[^']*)'",
        _l("this choice leads nowhere: there is no step “%(id)s”"),
    ),
    (r"the scenario has a cycle: (?P<cycle>.*)", _l("the scenario goes round in a circle: %(cycle)s")),
    (
        r"step '(?P<id>[^']*)' cannot be reached from the start",
        _l("the step “%(id)s” cannot be reached from the first step"),
    ),
    (r"no path leads from step '(?P<id>[^']*)' to an ending", _l("no path leads from the step “%(id)s” to an ending")),
    # Moodle files (domain/moodle.py)
    (r"not well-formed XML \((?P<detail>.*)\)", _l("the XML is not well formed (%(detail)s)")),
    (
        r"refused: (?P<kind>\w+) \(entities are not allowed\)",
        _l("refused: the file declares entities (%(kind)s), which are not allowed"),
    ),
    (
        r"a Moodle XML file starts with <quiz>, not <(?P<tag>[^>]*)>",
        _l("a Moodle XML file starts with <quiz>, not <%(tag)s>"),
    ),
    (r"a GIFT question needs its answers between \{ and \}", _l("a GIFT question needs its answers between { and }")),
    (r"matching pairs have no Cartera item type", _l("matching pairs have no Cartera item type")),
    (r"embedded answers \(cloze\) have no Cartera item type", _l("embedded answers (cloze) have no Cartera item type")),
    (
        r"a typed word checked against a list has no Cartera item type",
        _l("a typed word checked against a list has no Cartera item type"),
    ),
    (r"a description is not a question", _l("a description is not a question")),
    (r"drag-and-drop has no Cartera item type", _l("drag-and-drop has no Cartera item type")),
    (r"calculated questions have no Cartera item type", _l("calculated questions have no Cartera item type")),
    (r"no Cartera item type does this", _l("no Cartera item type does this")),
]
_COMPILED = [(re.compile(f"^{pattern}$"), message) for pattern, message in PATTERNS]


def localise(message: str) -> str:
    for pattern, translated in _COMPILED:
        match = pattern.match(message)
        if match:
            return str(translated) % {k: v or "" for k, v in match.groupdict().items()}
    return message

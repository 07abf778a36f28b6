"""Free text that may name the child: what a drawing's title or description
seems to reveal (the child's first or last name, the school, an e-mail
address or a phone number).

`text_flags` is pure and cheap; the submit form warns the guardian with
it (`TEXT_FLAG_WARNINGS`, one line per flag), the entry keeps its result
(`Entry.text_flags`) and moderation shows it as a badge. Names are
compared case-insensitively, in Cyrillic and Latin alike (a Cyrillic name
is also looked for in Latin letters and the other way round) and with the
endings that Russian, Kazakh, Uzbek… add to a name ("Айгуль" is found in
"Айгуль нарисовала" and "у Айгуль", "Alisher" in "Alisherning").
"""

from __future__ import annotations

import re
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class TextFlag(StrEnum):
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    SCHOOL = "school"
    EMAIL = "email"
    PHONE = "phone"


# What the guardian and moderators are told, per flag.
TEXT_FLAG_LABELS = {
    TextFlag.FIRST_NAME: _("the child's first name"),
    TextFlag.LAST_NAME: _("the child's last name"),
    TextFlag.SCHOOL: _("the school"),
    TextFlag.EMAIL: _("an e-mail address"),
    TextFlag.PHONE: _("a phone number"),
}

# Cyrillic letters (Russian, Kazakh, Kyrgyz, Tajik, Uzbek) in Latin, to
# compare a name written in one script with a text in the other.
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "і": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ў": "o", "ф": "f",
    "х": "x", "ҳ": "h", "һ": "h", "ц": "ts", "ч": "ch", "ҷ": "j", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "ӣ": "i", "ӯ": "u", "ә": "a",
}
# Latin spellings that mean the same sound, folded before comparing.
_LATIN_FOLD = [("kh", "x"), ("zh", "j"), ("dj", "j"), ("ee", "i"), ("y", "i"), ("'", ""), ("ʻ", ""), ("ʼ", ""), ("’", "")]

# A name of at least this many letters is also found with an ending added.
_STEM_MIN = 4
# Words that say "school" (in any of the portal's languages)...
_SCHOOL_NOUNS = (
    "school", "schule", "shkol", "школ", "mektep", "мектеб", "мектеп", "maktab", "мактаб", "mekdep", "лицей",
    "litsey", "lyceum", "litse", "гимназ", "gimnaz", "gymnas",
)
# ... and words of a school's name that tell nothing about which one.
_SCHOOL_FILLER = {
    "средняя", "общеобразовательная", "secondary", "general", "umumta'lim", "umumtalim", "умумтаълим", "орта",
    "no", "n", "номер", "raqamli", "sonli", "сонли", "рақамли", "the", "of", "and", "им", "имени", "imeni",
}


_WORD = re.compile(r"[^\W_]+(?:['ʻʼ’][^\W_]+)*")
_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# A run of digits, spaces, dashes, dots and brackets, maybe after a +.
_PHONE = re.compile(r"\+?\(?\d[\d\s\-().]{7,}\d")
_PHONE_MIN_DIGITS = 9


def _latin(text: str) -> str:
    text = "".join(_LATIN.get(ch, ch) for ch in text.lower())
    for spelled, folded in _LATIN_FOLD:
        text = text.replace(spelled, folded)
    return text


_SCHOOL_STEMS = tuple({_latin(noun) for noun in _SCHOOL_NOUNS})
_FILLER = {_latin(word) for word in _SCHOOL_FILLER}


def _is_school_noun(word: str) -> bool:
    return word.startswith(_SCHOOL_STEMS)


def _words(text: str) -> list[str]:
    return [_latin(w) for w in _WORD.findall(text)]


def _name_found(name: str, words: list[str]) -> bool:
    """Whether any word of `name` (a first or a last name, maybe double)
    is one of `words`, maybe with an ending added."""
    for part in _words(name):
        if len(part) < 2:
            continue
        for word in words:
            if word == part or (len(part) >= _STEM_MIN and word.startswith(part) and len(word) - len(part) <= 5):
                return True
            # "Айгуль" / "Айгулю": a stem that drops its last letter.
            if len(part) > _STEM_MIN and word.startswith(part[:-1]) and len(word) - len(part) <= 3:
                return True
    return False


def _school_found(school: str, text: str, words: list[str]) -> bool:
    """The school's name or number: its own words (not "school", "No"…)
    all present, or its number beside a word that says school."""
    own = [w for w in _words(school) if w not in _FILLER and not _is_school_noun(w)]
    numbers = [w for w in own if w.isdigit()]
    names = [w for w in own if not w.isdigit() and len(w) >= 3]
    if names and all(any(word.startswith(n[:max(_STEM_MIN, len(n) - 2)]) for word in words) for n in names):
        return True
    for number in numbers:
        for i, word in enumerate(words):
            if word == number and any(_is_school_noun(w) for w in words[max(0, i - 3):i + 3]):
                return True
    return bool(school.strip()) and " ".join(_words(school)) in " ".join(words)


def _phone_found(text: str) -> bool:
    return any(len(re.sub(r"\D", "", m.group())) >= _PHONE_MIN_DIGITS for m in _PHONE.finditer(text))


def text_flags(*, title: str, description: str, first_name: str = "", last_name: str = "", school: str = "") -> list[str]:
    """The `TextFlag` codes (in that order, each at most once) of what the
    drawing's `title` and `description` seem to reveal: the child's
    `first_name` or `last_name`, the `school`, an e-mail address (also
    "name (at) mail.ru") or a phone number (9 digits or more, spaces,
    dashes and brackets allowed). An empty list when nothing is found."""
    text = f"{title}\n{description}"
    words = _words(text)
    found = []
    if first_name and _name_found(first_name, words):
        found.append(TextFlag.FIRST_NAME)
    if last_name and _name_found(last_name, words):
        found.append(TextFlag.LAST_NAME)
    if school and _school_found(school, text, words):
        found.append(TextFlag.SCHOOL)
    if _EMAIL.search(text):
        found.append(TextFlag.EMAIL)
    if _phone_found(text):
        found.append(TextFlag.PHONE)
    return [str(flag) for flag in found]


def text_flag_labels(codes) -> list[str]:
    """The labels of `codes` (unknown codes are left out), in the active language."""
    return [str(TEXT_FLAG_LABELS[TextFlag(c)]) for c in codes if c in TextFlag._value2member_map_]


def text_flags_of_form(data: dict) -> list[str]:
    """`text_flags` of an entry form's cleaned `data` (the submission form's
    or the guardian's edit form's field names); missing fields count as
    empty."""
    return text_flags(
        title=data.get("title", ""), description=data.get("description", ""),
        first_name=data.get("child_first_name", ""), last_name=data.get("child_last_name", ""),
        school=data.get("school", ""),
    )

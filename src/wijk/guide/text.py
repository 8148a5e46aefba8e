"""Words to stems for the guide's search: the same steps for the index and the query.

Lower case, split on anything that is not a letter or digit, drop short and common
words, stem with the Snowball stemmer of the language (Dutch or English), and strip
accents from the stem, so "coöperaties" and "cooperatie" meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
STEMMERS = {"nl": "dutch", "en": "english"}
STOP_WORDS = {
    "nl": frozenset(
        [
            "aan",
            "al",
            "als",
            "bij",
            "dan",
            "dat",
            "de",
            "die",
            "dit",
            "door",
            "een",
            "en",
            "er",
            "het",
            "hij",
            "hoe",
            "in",
            "is",
            "je",
            "met",
            "na",
            "naar",
            "niet",
            "nog",
            "of",
            "om",
            "ook",
            "op",
            "over",
            "te",
            "tot",
            "u",
            "uit",
            "uw",
            "van",
            "voor",
            "wat",
            "wel",
            "wij",
            "ze",
            "zijn",
            "zo",
        ]
    ),
    "en": frozenset(
        [
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "by",
            "for",
            "from",
            "has",
            "have",
            "how",
            "in",
            "is",
            "it",
            "its",
            "of",
            "on",
            "or",
            "that",
            "the",
            "this",
            "to",
            "was",
            "what",
            "when",
            "with",
            "you",
            "your",
        ]
    ),
}
MIN_LENGTH = 2
MAX_STEM_LENGTH = 100


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(STEMMERS.get(language, "dutch"))


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def _stem(word: str, language: str) -> str:
    """One word's stem; cached, as the pure-Python stemmer is slow and words repeat."""
    return _plain(_stemmer(language).stemWord(word))[:MAX_STEM_LENGTH]


def stems(text: str, language: str) -> list[str]:
    """The stems of the words in `text`, in order, repeats kept."""
    stop = STOP_WORDS.get(language, frozenset())
    words = (w for w in WORD.findall(text.lower()) if len(w) >= MIN_LENGTH and w not in stop)
    return [stem for stem in (_stem(w, language) for w in words) if stem]


def stem_counts(text: str, language: str) -> Counter[str]:
    return Counter(stems(text, language))

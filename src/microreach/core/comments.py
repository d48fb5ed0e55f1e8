"""Comment text: generic / emoji-only / mention-only detection and a stopword language guess."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d\u20e3\U0001f1e6-\U0001f1ff]"
)
_MENTION = re.compile(r"@[\w.]+")
_NON_LETTER = re.compile(r"[^a-z0-9' ]+")
_REPEAT = re.compile(r"(.)\1+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class CommentLexicon:
    """Generic phrases (any language, matched after folding) and stopwords per language code."""

    generic_phrases: frozenset[str]
    generic_words: frozenset[str]
    stopwords: Mapping[str, frozenset[str]]
    version: str = ""


def fold(text: str) -> str:
    """Lower-case, strip accents, drop emoji / punctuation, collapse repeated letters and spaces."""
    lowered = text.lower()
    if lowered.isascii():
        stripped = lowered
    else:
        decomposed = unicodedata.normalize("NFKD", lowered)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = _NON_LETTER.sub(" ", _MENTION.sub(" ", stripped))
    return _SPACES.sub(" ", _REPEAT.sub(r"\1", letters)).strip()


def build_lexicon(
    *, generic_phrases: Iterable[str], stopwords: Mapping[str, Iterable[str]], version: str
) -> CommentLexicon:
    """Fold the configured phrases once; a phrase's words also form the generic vocabulary."""
    phrases = frozenset(fold(p) for p in generic_phrases if fold(p))
    words = frozenset(w for p in phrases for w in p.split())
    stops = {lang: frozenset(fold(w) for w in ws) for lang, ws in stopwords.items()}
    return CommentLexicon(phrases, words, stops, version)


@dataclass(frozen=True, slots=True)
class CommentKind:
    emoji_only: bool
    mention_only: bool
    generic: bool

    @property
    def hollow(self) -> bool:
        """Emoji-only, mention-only or generic."""
        return self.emoji_only or self.mention_only or self.generic


def classify_comment(*, text: str, lexicon: CommentLexicon) -> CommentKind:
    """Emoji-only: no letter or digit and at least one emoji; mention-only: only @mentions (plus
    emoji / punctuation); generic: the folded text is a configured phrase, or ≤ 4 words all from the
    generic vocabulary."""
    no_mentions = _MENTION.sub("", text)
    has_mention = no_mentions != text
    has_alnum = any(ch.isalnum() for ch in no_mentions)
    emoji_only = not has_alnum and not has_mention and _EMOJI.search(text) is not None
    mention_only = has_mention and not has_alnum
    folded = fold(text)
    words = folded.split()
    generic = bool(words) and (
        folded in lexicon.generic_phrases
        or (len(words) <= 4 and all(w in lexicon.generic_words for w in words))
    )
    return CommentKind(emoji_only, mention_only, generic and not mention_only)


def detect_language(*, text: str, lexicon: CommentLexicon, min_hits: int = 2) -> str:
    """Language code whose stopwords occur most often in the text (≥ ``min_hits``, unique best), else ''."""
    words = fold(text).split()
    if len(words) < min_hits:
        return ""
    best, best_hits, tie = "", 0, False
    for lang, stops in lexicon.stopwords.items():
        hits = sum(1 for w in words if w in stops)
        if hits > best_hits:
            best, best_hits, tie = lang, hits, False
        elif hits == best_hits and hits > 0:
            tie = True
    return best if best_hits >= min_hits and not tie else ""

from __future__ import annotations

from microreach.core.comments import classify_comment, detect_language, fold


def test_fold_strips_accents_emoji_and_repeats():
    assert fold("Trop BEAUUU 😍!!") == "trop beau"


def test_generic_emoji_and_mention_only(config):
    lex = config.lexicon
    assert classify_comment(text="Wooow amazing 🔥", lexicon=lex).generic
    assert classify_comment(text="Magnifique !", lexicon=lex).generic
    assert classify_comment(text="😍😍🔥", lexicon=lex).emoji_only
    assert classify_comment(text="@bob @carla", lexicon=lex).mention_only
    natural = classify_comment(text="Where did you buy this lamp? I love the colour", lexicon=lex)
    assert not natural.hollow


def test_language_by_stopwords(config):
    lex = config.lexicon
    assert detect_language(text="C'est trop bien, je vais tester la recette ce soir", lexicon=lex) == "fr"
    assert detect_language(text="Where did you get this and how much was it", lexicon=lex) == "en"
    assert detect_language(text="wow", lexicon=lex) == ""

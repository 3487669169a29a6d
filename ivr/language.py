"""The phone line's language: English by default, Spanish on request.

A call starts in Spanish when Twilio posts to `/ivr/voice?lang=es-US` (a dedicated Spanish number),
or switches when the caller presses 9 or says "español" at the English menu; the greeting offers
it in a Spanish voice. The language then rides in every action URL (`lang=`), which Twilio signs,
so each turn answers from that locale's content, model and matcher, in its voice and language.
"""
from __future__ import annotations

import logging

from flask import request

from shared.core.content import DEFAULT_LOCALE, Content, ContentError
from shared.core.dialogue import State
from shared.core.locales import supported
from shared.store import default_store
from shared.core.text import words

log = logging.getLogger(__name__)
SPANISH = "es-US"
SPANISH_KEY = "9"  # free at the English menu (1-4 topics, 0 front desk); 9 texts the steps only in aftercare
SPANISH_WORDS = frozenset({"espanol", "en espanol", "spanish", "in spanish", "espanol por favor",
                           "spanish please", "hablo espanol", "quiero espanol"})


def call_locale() -> str:
    """The call's language, from the signed `lang` query parameter (anything unknown: English)."""
    return supported(request.args.get("lang"))


def lang_query(c: Content) -> dict[str, str]:
    """What the action URL carries so the next turn stays in this language."""
    locale = c.locale
    return {} if locale == DEFAULT_LOCALE else {"lang": locale}


def wants_spanish(c: Content, state: State, digits: str, speech: str) -> bool:
    """At the English menu: 9, or "español" said alone (a question or aftercare keeps its keys)."""
    if c.locale != DEFAULT_LOCALE or language_offer(c) is None:
        return False
    if digits:
        return digits[:1] == SPANISH_KEY and state.offer is None and state.step is None
    return " ".join(words(speech)) in SPANISH_WORDS


def language_offer(c: Content) -> tuple[str, str, str] | None:
    """(text, voice, language) of the Spanish offer said after the English greeting, else None."""
    if c.locale != DEFAULT_LOCALE:
        return None
    store = default_store()
    if store.served_locale(SPANISH) != SPANISH:
        return None  # a content folder without es-US.yaml (CLINIC_CONTENT_DIR): no Spanish to offer
    try:
        spanish = store.content(SPANISH)  # content only: no model or matcher loaded for this
    except ContentError as exc:  # a broken Spanish file never breaks an English call
        log.error("Spanish not offered: %s", exc)
        return None
    if "language_offer" not in spanish.phone:
        return None
    return spanish.phone["language_offer"], spanish.phone["voice"], spanish.phone["language"]

"""Rendering the phone line's answers as TwiML."""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

from shared.core.content import Content

GATHER_TIMEOUT_SECONDS = 6


def action_url(path: str, query: Mapping[str, str]) -> str:
    """The URL Twilio posts the caller's next turn to; the conversation state rides in its query."""
    return f"{path}?{urlencode(sorted(query.items()))}" if query else path


def gather(content: Content, text: str, action: str, hints: str, then: tuple[str, str, str] | None = None) -> str:
    """Say `text` while listening for speech or one key; no input still posts to `action`.
    `then`: (text, voice, language) said next in another voice (the greeting's offer of Spanish)."""
    voice_name, language = content.phone["voice"], content.phone["language"]
    response = VoiceResponse()
    g = response.gather(input="speech dtmf", action=action, method="POST", timeout=GATHER_TIMEOUT_SECONDS,
                        speech_timeout="auto", num_digits=1, action_on_empty_result=True,
                        language=language, hints=hints)
    g.say(text, voice=voice_name, language=language)
    if then:
        g.say(then[0], voice=then[1], language=then[2])
    response.redirect(action, method="POST")  # if Twilio ever falls through the gather, keep the call going
    return str(response)


def _saying(content: Content, text: str) -> VoiceResponse:
    """A response that starts by saying `text` in the configured voice and language."""
    response = VoiceResponse()
    response.say(text, voice=content.phone["voice"], language=content.phone["language"])
    return response


def dial(content: Content, text: str, number: str, action: str | None = None) -> str:
    """Transfer; Twilio posts DialCallStatus to `action` when the transfer ends."""
    response = _saying(content, text)
    response.dial(number, action=action, method="POST") if action else response.dial(number)
    return str(response)


def keypad(content: Content, text: str, action: str) -> str:
    """Say `text` while taking a phone number on the keypad, ended by #; no input still posts to `action`."""
    response = VoiceResponse()
    g = response.gather(input="dtmf", action=action, method="POST", timeout=10, finish_on_key="#",
                        action_on_empty_result=True)
    g.say(text, voice=content.phone["voice"], language=content.phone["language"])
    response.redirect(action, method="POST")
    return str(response)


def end() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)


def hang_up(content: Content, text: str) -> str:
    response = _saying(content, text)
    response.hangup()
    return str(response)


MAX_HINTS_CHARS = 900  # Twilio takes a few hundred phrases; keep it modest
HINT_WORDS = {"en": ("microneedling", "aftercare", "downtime", "sessions", "numbing cream", "front desk"),
              "es": ("microneedling", "cuidados", "recuperación", "sesiones", "crema anestésica", "recepción")}


def speech_hints(content: Content) -> str:
    """Twilio's speech `hints`: topic words, then the content's condition and activity names, as many
    whole phrases as fit."""
    english = content.locale.startswith("en")  # the keys are English words; other locales say the names
    names = [c.key.replace("_", " ") if english else c.name for c in content.conditions.values()]
    names += [a.key.replace("_", " ") if english else a.name for a in content.activities.values()]
    text = ""
    for hint in (*HINT_WORDS.get(content.locale[:2], HINT_WORDS["en"]), *names):
        if len(text) + len(hint) + 2 > MAX_HINTS_CHARS:
            break
        text = f"{text}, {hint}" if text else hint
    return text

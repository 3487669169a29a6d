"""Issue 17, each item as the attack or fault: whole signed calls, signed /alexa requests, edits between
two channels' requests. (Signals and restarts of a real server: tests/test_restarts.py.)"""
from __future__ import annotations

import json
import time

import pytest

from shared import store as store_module
from shared.store import Store
from tests.alexa import envelope, intent_request, speech
from tests.certs import MadePKI
from tests.test_alexa_verify import Endpoint
from tests.test_reload import edit_yaml


@pytest.fixture(scope="module")
def pki():
    return MadePKI()


@pytest.fixture
def alexa(pki, tmp_path, phone_settings):
    """Posts envelopes to /alexa, signed as Alexa signs them; returns the Flask response."""
    endpoint, signer = Endpoint(pki, tmp_path, phone_settings), pki.signer()

    def post(event: dict):
        return endpoint.post(json.dumps(event).encode(), signer)
    post.endpoint = endpoint
    return post


# ---------------------------------------------------------------- 1. one version on every channel

def test_an_edit_between_two_channels_requests_reaches_both(live_copies, monkeypatch, make_caller, alexa, content):
    """Alexa checks the content just before an edit; the phone's bundle must not take that old copy."""
    content_file, model_file = live_copies
    monkeypatch.setattr(store_module, "_default", Store(content_file.parent, model_file.parent, interval=0.5))
    caller = make_caller()
    old, new = content.topics["PainIntent"].answer, "Edited: a light prickling."
    ask_alexa = lambda: speech(alexa(envelope(intent_request("PainIntent"))).get_json())  # noqa: E731
    caller.call()
    assert caller.say("does it hurt").text.startswith(old)
    time.sleep(0.6)                       # the phone's next look at the files is due...
    assert ask_alexa().startswith(old)    # ...and Alexa has just looked
    edit_yaml(content_file, lambda d: d["topics"]["pain"].update(answer=new))
    caller.call()                         # the phone notices the edit at once
    time.sleep(0.6)                       # one reload period later, every channel serves the edit
    assert ask_alexa().startswith(new)
    assert caller.say("does it hurt").text.startswith(new)
    store_module.default_store().reload()  # and SIGHUP's reload keeps it so
    assert caller.say("does it hurt").text.startswith(new)

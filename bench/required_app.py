"""What every phone request must cost before any understanding: the floor (bench/floor_app.py) plus
what the product requires of each request (DESIGN: signatures checked on every request; a log line per
turn): Flask parses the form, twilio's RequestValidator checks X-Twilio-Signature, one INFO line is
logged, and one fixed TwiML <Gather> page is answered. `bench/run.py` measures it beside the floor and
ours, so the report shows how much of the floor's throughput a real webhook can keep at most."""
import logging
import os

from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("required")
app = Flask(__name__)
TOKEN, PUBLIC_URL = os.environ["TWILIO_AUTH_TOKEN"], os.environ["CLINIC_PUBLIC_URL"]


@app.post("/ivr/<path:anything>")
def answer(anything: str) -> Response:
    query = request.query_string.decode("latin-1")
    url = f"{PUBLIC_URL}{request.path}" + (f"?{query}" if query else "")
    if not RequestValidator(TOKEN).validate(url, request.form.to_dict(), request.headers.get("X-Twilio-Signature", "")):
        abort(403)
    log.info("call turn: sid=%s", request.form.get("CallSid", "")[:64])
    response = VoiceResponse()
    gather = response.gather(input="speech dtmf", action="/ivr/turn", method="POST", timeout=6)
    gather.say("Thanks for calling. Ask me a question about microneedling.", voice="Polly.Joanna", language="en-US")
    return Response(str(response), mimetype="text/xml")

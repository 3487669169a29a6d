"""The floor for the phone line's throughput: a bare Flask app answering every POST with one fixed
TwiML <Gather> page built by the twilio library, served the same way as ours."""
from flask import Flask, Response
from twilio.twiml.voice_response import VoiceResponse

app = Flask(__name__)


@app.post("/ivr/<path:anything>")
def answer(anything: str) -> Response:
    response = VoiceResponse()
    gather = response.gather(input="speech dtmf", action="/ivr/turn", method="POST", timeout=6)
    gather.say("Thanks for calling. Ask me a question about microneedling.", voice="Polly.Joanna", language="en-US")
    return Response(str(response), mimetype="text/xml")

"""serverless.yml: every handler path it names imports and answers a request, from the source tree and,
when `bash scripts/serverless.sh package` has built it (CI does), from the Lambda package itself."""
from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from twilio.request_validator import RequestValidator

from tests.alexa import LAUNCH, SKILL_ID, envelope
from tests.conftest import TWILIO_TOKEN

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / ".serverless" / "clinic-voice.zip"
PUBLIC_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/offline"


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((ROOT / "serverless.yml").read_text())


def test_functions_and_packaging_rules(config):
    functions = config["functions"]
    assert functions["skill"]["handler"] == "skill/lambda_function.lambda_handler"
    assert "alexaSkill" in functions["skill"]["events"][0]
    assert functions["phone"]["handler"] == "wsgi_handler.handler"
    assert functions["phone"]["events"][0]["http"]["path"].startswith("ivr/")
    assert config["provider"]["runtime"] in ("python3.11", "python3.12")
    assert {"serverless-wsgi", "serverless-python-requirements"} <= set(config["plugins"])
    assert {"!tests/**", "!bench/**"} <= set(config["package"]["patterns"])


def test_no_secret_in_the_file(config):
    text = (ROOT / "serverless.yml").read_text()
    for name, value in config["provider"]["environment"].items():
        assert str(value).startswith("${"), f"{name} must come from a parameter or SSM"
    assert "ssm:" not in text  # SSM references live in per-stage files (deploy/*.yml)


def test_skill_handler_path_answers(config, monkeypatch):
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    module, func = config["functions"]["skill"]["handler"].rsplit(".", 1)
    handler = getattr(importlib.import_module(module.replace("/", ".")), func)
    response = handler(envelope(LAUNCH), None)
    assert "Welcome" in response["response"]["outputSpeech"]["ssml"]


def test_wsgi_app_path_answers(config, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TWILIO_TOKEN)
    monkeypatch.setenv("CLINIC_PUBLIC_URL", PUBLIC_URL)
    module, attr = config["custom"]["wsgi"]["app"].rsplit(".", 1)
    assert "/" not in module
    app = getattr(importlib.import_module(module), attr)  # `ivr.wsgi.app`, made from the environment
    form = {"CallSid": "CA1", "From": "+15005550006"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + "/ivr/voice", form)
    response = app.test_client().post("/ivr/voice", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200 and b"<Gather" in response.data


def test_requirements_match_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    listed = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    name = lambda spec: re.split(r"[<>=!~ ]", spec, 1)[0].lower()  # noqa: E731
    assert sorted(map(name, declared)) == sorted(map(name, listed))


def test_the_deploy_guide_it_names_exists_and_every_stage_has_a_file(config):
    assert "docs/deploy.md" in (ROOT / "serverless.yml").read_text() and (ROOT / "docs" / "deploy.md").exists()
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for stage in set(re.findall(r"--stage (\w+)", guide)) | {config["provider"]["stage"]}:
        assert (ROOT / "deploy" / f"{stage}.yml").exists(), stage


# ---------------------------------------------------------------- the built package

def test_packaged_functions_get_the_api_gateway_url_before_the_first_deploy():
    """No chicken and egg: CLINIC_PUBLIC_URL is the REST API's own URL with the stage, made by CloudFormation."""
    template = ROOT / ".serverless" / "cloudformation-template-update-stack.json"
    if not template.exists():
        pytest.skip("no Lambda package built here (run: npm ci && bash scripts/serverless.sh package)")
    resources = json.loads(template.read_text())["Resources"]
    url = resources["PhoneLambdaFunction"]["Properties"]["Environment"]["Variables"]["CLINIC_PUBLIC_URL"]
    assert url == {"Fn::Join": ["", ["https://", {"Ref": "ApiGatewayRestApi"}, ".execute-api.", {"Ref": "AWS::Region"},
                                     ".", {"Ref": "AWS::URLSuffix"}, "/offline"]]}
    assert "ApiGatewayRestApi" in resources


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    if not PACKAGE.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must build the Lambda package first (bash scripts/serverless.sh package)")
        pytest.skip("no Lambda package built here (run: npm ci && bash scripts/serverless.sh package)")
    target = tmp_path_factory.mktemp("lambda")
    with zipfile.ZipFile(PACKAGE) as archive:
        names = archive.namelist()
        assert not any(n.startswith(("tests/", "bench/", ".venv/", "node_modules/")) for n in names)
        archive.extractall(target)
    return target


def run_in_package(directory: Path, code: str, env: dict[str, str]) -> dict:
    """Run `code` with only the package's files importable (-S: no site-packages), as Lambda would."""
    done = subprocess.run([sys.executable, "-S", "-c", code], cwd=directory, capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], **env}, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_package_carries_bytecode_checked_by_contents(unpacked):
    """Lambda can't write __pycache__: without bytecode in the package every cold start compiles every
    module. Checked-hash bytecode (PEP 552) holds however the zip stamps the files' times: every module
    of ours and of the dependencies has it, for the runtime's Python, matching its source."""
    import importlib.util
    runtime = yaml.safe_load((ROOT / "serverless.yml").read_text())["provider"]["runtime"]  # python3.11
    tag = "cpython-" + runtime.removeprefix("python").replace(".", "")
    sources = [path for top in ("shared", "skill", "ivr", "interaction_models", "ask_sdk_core", "twilio", "flask")
               for path in (unpacked / top).rglob("*.py")]
    assert len(sources) > 100
    for source in sources:
        cached = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        header = cached.read_bytes()[:16] if cached.exists() else b""
        assert header[4:8] == (0b11).to_bytes(4, "little"), f"{source.relative_to(unpacked)}: no checked-hash bytecode"
        assert header[8:16] == importlib.util.source_hash(source.read_bytes()), source.relative_to(unpacked)


def test_packaged_skill_answers_without_flask_or_twilio_rest(unpacked):
    code = ("import json, sys, skill.lambda_function as f\n"
            f"r = f.lambda_handler({envelope(LAUNCH)!r}, None)\n"
            "print(json.dumps({'r': r, 'mods': sorted(m for m in sys.modules if m.startswith(('flask', 'twilio.rest')))}))")
    out = run_in_package(unpacked, code, {"ALEXA_SKILL_ID": SKILL_ID})
    assert "Welcome" in out["r"]["response"]["outputSpeech"]["ssml"] and out["mods"] == []


def test_packaged_phone_handler_answers_an_api_gateway_event(unpacked):
    form = {"CallSid": "CA2", "From": "+15005550006"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + "/ivr/voice", form)
    event = {"httpMethod": "POST", "path": "/ivr/voice", "resource": "/ivr/{proxy+}", "body": urlencode(form),
             "isBase64Encoded": False, "queryStringParameters": None, "multiValueQueryStringParameters": None,
             "headers": {"Host": "abc123.execute-api.us-east-1.amazonaws.com", "X-Forwarded-Proto": "https",
                         "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature},
             "requestContext": {"stage": "offline", "path": "/offline/ivr/voice", "httpMethod": "POST"},
             "pathParameters": {"proxy": "voice"}, "stageVariables": None}
    code = ("import json, wsgi_handler\n"
            "class Ctx: aws_request_id = 'req-1'; function_name = 'phone'; memory_limit_in_mb = 256\n"
            f"print(json.dumps(wsgi_handler.handler({event!r}, Ctx())))")
    out = run_in_package(unpacked, code, {"TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "CLINIC_PUBLIC_URL": PUBLIC_URL})
    assert out["statusCode"] == 200 and "<Gather" in out["body"]
    forged = dict(event, headers=dict(event["headers"], **{"X-Twilio-Signature": "forged"}))
    code = code.replace(repr(event), repr(forged))
    assert run_in_package(unpacked, code, {"TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "CLINIC_PUBLIC_URL": PUBLIC_URL})["statusCode"] == 403


def test_packaged_store_migrates_and_writes_with_its_own_drivers(unpacked, db_url):
    """The package carries SQLAlchemy, Alembic, the migrations and psycopg (on the PostgreSQL case, a real server)."""
    from shared.followup.db import head
    code = ("import json\n"
            "from shared.followup.db import database\n"
            "from shared.followup.callbacks import open_callbacks, request_callback\n"
            f"db = database({db_url!r})\n"
            "revision = db.upgrade()\n"
            "request_callback(db, '+15005550006', 'PainIntent', 'en-US', 'busy')\n"
            "print(json.dumps({'revision': revision, 'open': len(open_callbacks(db))}))")
    assert run_in_package(unpacked, code, {}) == {"revision": head(), "open": 1}

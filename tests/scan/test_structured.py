"""Credential files with a structure of their own, scanned as files through `empathy scan` (issue 12)."""

from __future__ import annotations

import base64
import json
import random

import pytest
from benchmarks import fakes

from attune.cli import main
from attune.scan import scan_text


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _password(seed: str) -> str:
    return fakes.password(random.Random(seed))


def _types(text: str, filename: str) -> list[tuple[str, int]]:
    return [(f.type, f.line) for f in scan_text(text, filename)]


def test_a_kubernetes_secret_reports_decoded_values_by_what_they_are():
    github = fakes.github(random.Random(3))
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n"
        f"  username: {_b64('admin')}\n"
        f"  password: {_b64(_password('k8s'))}\n"
        f"  gh: {_b64(github)}\n"
        f"  host: {_b64('db.internal.acme-corp.net')}\n"
        "stringData:\n"
        f"  api-password: {_password('plain')}\n"
        "  region: eu-west-1\n"
    )
    assert _types(text, "secret.yaml") == [("kubernetes-secret", 8), ("github-token", 9), ("kubernetes-secret", 12)]


def test_a_kubernetes_secret_with_placeholders_and_public_names_is_clean():
    text = (
        "kind: Secret\ndata:\n"
        f"  password: {_b64('changeme')}\n"
        f"  ca.crt: {_b64('-----BEGIN CERTIFICATE-----')}\n"
        f"  username: {_b64('service-account-17')}\n"
        "---\nkind: ConfigMap\ndata:\n  mode: fast\n"
    )
    assert _types(text, "secret.yaml") == []


def test_a_kubernetes_secret_in_json_is_decoded_too():
    value = _password("json")
    text = json.dumps({"apiVersion": "v1", "kind": "Secret", "data": {"token": _b64(value)}}, indent=2)
    assert [t for t, _ in _types(text, "secret.json")] == ["kubernetes-secret"]


def test_a_kubeconfig_client_key_is_a_private_key():
    key = "\n".join(fakes.private_key(random.Random(5), None)) + "\n"
    text = f"apiVersion: v1\nclusters: []\nusers:\n- name: admin\n  user:\n    client-key-data: {_b64(key)}\n"
    assert _types(text, "kubeconfig") == [("kubeconfig-client-key", 6)]


def test_docker_config_auths_decode_to_a_password():
    good = _b64("deploy:" + _password("docker"))
    placeholder = _b64("user:" + "<password>")
    text = json.dumps({"auths": {"ghcr.io": {"auth": good}, "quay.io": {"auth": placeholder}}}, indent=2)
    assert _types(text, "config.json") == [("docker-registry-auth", 4)]


def test_npmrc_auth_tokens_but_not_environment_references():
    r = random.Random(9)
    token = fakes.pick(r, fakes.B62, 40)
    text = (
        f"//npm.pkg.github.com/:_authToken={token}\n"
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"
        f"_auth={_b64('ci:' + _password('npm'))}\n"
        "always-auth=true\n"
    )
    assert _types(text, ".npmrc") == [("npmrc-auth", 1), ("npmrc-auth", 3)]


def test_pypirc_and_netrc_passwords():
    pypirc = f"[distutils]\nindex-servers = internal\n\n[internal]\nusername: ci\npassword: {_password('pypirc')}\n"
    assert [t for t, _ in _types(pypirc, ".pypirc")] in (["pypirc-password"], ["password"])
    netrc = f"machine api.acme-corp.net login deploy password {_password('netrc')}\nmachine other login me\n"
    assert _types(netrc, ".netrc") == [("netrc-password", 1)]
    assert _types("machine x login y password $NETRC_PASSWORD\n", ".netrc") == []


def test_git_credentials_store_lines_are_url_credentials():
    text = f"https://deploy:{_password('git')}@git.acme-corp.net\n"
    assert _types(text, ".git-credentials") == [("url-credentials", 1)]


def test_jenkins_credentials_xml_values_on_the_same_or_the_next_line():
    encrypted = "{AQAAABAAAAAQ" + fakes.pick(random.Random(2), fakes.B62 + "+/", 40) + "=}"
    text = (
        "<com.cloudbees.plugins.credentials.SystemCredentialsProvider>\n"
        "  <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n"
        "    <username>deploy</username>\n"
        f"    <password>{encrypted}</password>\n"
        "    <secret>\n"
        f"      {_password('jenkins')}\n"
        "    </secret>\n"
        "    <passphrase></passphrase>\n"
        "  </com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n"
    )
    assert _types(text, "credentials.xml") == [("jenkins-credential", 4), ("jenkins-credential", 6)]


def test_gcloud_and_azure_cli_token_caches():
    r = random.Random(4)
    gcloud = json.dumps(
        {"client_id": "7645.apps.googleusercontent.com", "client_secret": fakes.pick(r, fakes.B64URL, 24),
         "refresh_token": "1//0" + fakes.pick(r, fakes.B64URL, 60), "type": "authorized_user"},
        indent=2,
    )  # fmt: skip
    assert [t for t, _ in _types(gcloud, "application_default_credentials.json")] == [
        "gcloud-credential",
        "google-oauth-refresh-token",
    ]
    azure = json.dumps(
        {"RefreshToken": {"k": {"credential_type": "RefreshToken", "secret": fakes.pick(r, fakes.B64URL, 120)}}},
        indent=2,
    )
    assert [t for t, _ in _types(azure, "msal_token_cache.json")] == ["azure-cli-token"]


@pytest.mark.parametrize("name", [".npmrc", ".netrc", "credentials.xml", "secret.yaml"])
def test_empty_and_templated_credential_files_are_clean(name):
    text = {
        ".npmrc": "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
        ".netrc": "machine example.com login anonymous password changeme\n",
        "credentials.xml": "<credentials><password>${JENKINS_PASSWORD}</password></credentials>\n",
        "secret.yaml": "kind: Secret\nstringData:\n  password: '{{.Values.password}}'\n",
    }[name]
    assert scan_text(text, name) == []


def test_empathy_scan_reports_a_secret_manifest_with_file_and_line(tmp_path, capsys):
    (tmp_path / "secret.yaml").write_text(f"kind: Secret\ndata:\n  password: {_b64(_password('cli'))}\n")
    assert main(["scan", str(tmp_path / "secret.yaml")]) == 1
    out = capsys.readouterr().out
    assert "secret.yaml:3" in out and "kubernetes-secret" in out

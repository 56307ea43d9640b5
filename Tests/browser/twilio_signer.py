"""Signed Twilio webhooks for the browser tests: X-Twilio-Signature is base64(HMAC-SHA1(auth
token, URL + every parameter's name and value, sorted by name)), over the URL the server is told
it is reached at (its public_url) plus the path."""

import base64
import hashlib
import hmac
import secrets
import urllib.error
import urllib.parse
import urllib.request


def signature(auth_token, url, params):
    text = url + "".join(name + value for name, value in sorted(params.items()))
    return base64.b64encode(hmac.new(auth_token.encode(), text.encode(), hashlib.sha1).digest()).decode()


def post_form(base_url, path, params, auth_token):
    """POSTs `params` as a form to `path`, signed; returns (status, body text)."""
    body = urllib.parse.urlencode(params).encode()
    request = urllib.request.Request(f"{base_url}{path}", data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature(auth_token, f"{base_url}{path}", params)})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sid(prefix):
    """A fresh Twilio id: SM, CA or AC and 32 hex digits."""
    return prefix + secrets.token_hex(16)

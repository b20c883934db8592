"""A receiver of Incident Insights webhooks, with nothing but Python's standard library.

Copy it into your service. It checks every delivery before trusting it:

1. the signature: X-Insights-Signature holds ``v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">``
   keyed by the subscription's secret (two ``v1=`` entries while a rotated-out secret is still in
   its grace period; either may match), compared in constant time;
2. the timestamp: X-Insights-Timestamp (Unix seconds) within 5 minutes of now, so a captured
   request cannot be replayed later;
3. the event id: X-Insights-Event-Id is the idempotency key; a delivery of an event already handled
   (a retry whose first 2xx was lost, or a replay inside the 5 minutes) is answered 200 and not
   handled again.

Run it: ``WEBHOOK_SECRET=whsec_... PORT=9000 python3 examples/webhook_receiver.py``. It prints
``listening on http://127.0.0.1:<port>``, then one JSON line per event handled.
"""

import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def verify_webhook(secret, headers, body, now=None, tolerance_seconds=TOLERANCE_SECONDS):
    """Checks one delivery; ``body`` is the raw bytes received. Returns (event, None) or (None, reason)."""
    timestamp = headers.get("X-Insights-Timestamp", "")
    signatures = [
        entry.strip()[3:]
        for entry in headers.get("X-Insights-Signature", "").split(",")
        if entry.strip().startswith("v1=")
    ]
    if not timestamp.isdigit():
        return None, "missing or malformed X-Insights-Timestamp"
    if not signatures:
        return None, "missing X-Insights-Signature"
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance_seconds:
        return None, "timestamp outside the tolerance (a replay, or a clock far off)"
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, given) for given in signatures):
        return None, "signature does not match"
    event = json.loads(body.decode("utf-8"))
    if event.get("id") != headers.get("X-Insights-Event-Id"):
        return None, "event id differs from its header"
    return event, None


class Receiver(BaseHTTPRequestHandler):
    """Verifies each delivery and handles each event id once (keep the ids in your database)."""

    secret = ""
    handled = set()
    lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        event, reason = verify_webhook(self.secret, self.headers, body)
        if event is None:
            return self.answer(400, {"error": reason})
        with self.lock:
            if event["id"] in self.handled:
                return self.answer(200, {"received": True, "duplicate": True})
            self.handled.add(event["id"])
        self.handle_event(event)
        self.answer(200, {"received": True})

    def handle_event(self, event):
        """Your work goes here; this example prints the event as one JSON line."""
        line = {"delivery_id": self.headers.get("X-Insights-Delivery-Id"), "event": event}
        print(json.dumps(line), flush=True)

    def answer(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


def main():
    secret = os.environ.get("WEBHOOK_SECRET")
    if not secret:
        sys.stderr.write("webhook_receiver: set WEBHOOK_SECRET to the secret shown when the webhook was created\n")
        sys.exit(2)
    Receiver.secret = secret
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "0"))), Receiver)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

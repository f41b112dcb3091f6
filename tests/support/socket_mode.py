"""A stand-in for Slack's Socket Mode endpoint: a plain WebSocket server on 127.0.0.1.

Point FakeSlackAPI.socket_mode_url at `url`; apps.connections.open hands it to the app, whose
Socket Mode client connects here (slack-sdk's built-in client speaks plain ws:// to any port
other than 443). The test pushes envelopes the way Slack does and reads the app's acks.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
import time
from typing import Any

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OPCODE_TEXT, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG = 0x1, 0x8, 0x9, 0xA


class FakeSocketModeServer:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._clients: list[socket.socket] = []
        self._send_lock = threading.Lock()
        self._condition = threading.Condition()
        self.acks: list[dict[str, Any]] = []  # what the app sent back, decoded
        self._running = True
        threading.Thread(target=self._accept_loop, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=test"

    def stop(self) -> None:
        self._running = False
        for client in [*self._clients, self._listener]:
            with contextlib.suppress(OSError):
                client.close()

    # ----- what tests do
    def wait_connected(self, timeout: float = 30) -> None:
        with self._condition:
            if not self._condition.wait_for(lambda: bool(self._clients), timeout):
                raise AssertionError("the app never connected over Socket Mode")

    def send(self, envelope: dict[str, Any]) -> None:
        """Push one envelope (events_api, slash_commands, interactive) to the app."""
        frame = _frame(OPCODE_TEXT, json.dumps(envelope).encode())
        with self._send_lock:
            for client in list(self._clients):
                client.sendall(frame)

    def wait_ack(self, envelope_id: str, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                for ack in self.acks:
                    if ack.get("envelope_id") == envelope_id:
                        return ack
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no ack for envelope {envelope_id}: {self.acks}")
                self._condition.wait(remaining)

    # ----- the WebSocket side
    def _accept_loop(self) -> None:
        while self._running:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        reader = client.makefile("rb")
        try:
            headers = {}
            reader.readline()  # GET /link/?ticket=... HTTP/1.1
            while (line := reader.readline().decode().strip()):
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            accept = base64.b64encode(hashlib.sha1(
                (headers["sec-websocket-key"] + WEBSOCKET_GUID).encode()).digest()).decode()
            client.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\n"
                            f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
            with self._condition:
                self._clients.append(client)
                self._condition.notify_all()
            # Slack's first message on a new connection.
            self.send({"type": "hello", "num_connections": 1,
                       "debug_info": {"host": "fake", "approximate_connection_time": 3600}})
            while self._running:
                opcode, payload = _read_frame(reader)
                if opcode == OPCODE_PING:
                    with self._send_lock:
                        client.sendall(_frame(OPCODE_PONG, payload))
                elif opcode == OPCODE_TEXT:
                    with self._condition:
                        self.acks.append(json.loads(payload))
                        self._condition.notify_all()
                elif opcode == OPCODE_CLOSE:
                    return
        except (OSError, ValueError, KeyError):
            return
        finally:
            with self._condition:
                if client in self._clients:
                    self._clients.remove(client)
            client.close()


def _frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        return head + bytes([len(payload)]) + payload
    if len(payload) < 65536:
        return head + bytes([126]) + struct.pack("!H", len(payload)) + payload
    return head + bytes([127]) + struct.pack("!Q", len(payload)) + payload


def _read_frame(reader: Any) -> tuple[int, bytes]:
    """One client frame (clients always mask)."""
    first, second = reader.read(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", reader.read(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", reader.read(8))
    mask = reader.read(4) if second & 0x80 else b"\0\0\0\0"
    data = reader.read(length)
    return first & 0x0F, bytes(byte ^ mask[index % 4] for index, byte in enumerate(data))

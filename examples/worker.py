#!/usr/bin/env python3
"""An empire external worker in Python: registers as an instance of one agent type over
/ws/agents/{agent_id}?mode=worker and answers the tasks it is handed.

    pip install websockets
    EMPIRE_API_KEY=mfm_... python3 examples/worker.py seo_optimizer ws://127.0.0.1:8080
"""
import asyncio
import json
import os
import sys

import websockets


def work(kind, task_input):
    """Replace with real work; raise to report a failure."""
    if kind == "audit_page":
        html = task_input["html"].lower()
        return {"score": 100 if task_input["keyword"].lower() in html else 0, "by": "python"}
    raise ValueError(f"this worker does not do {kind}")


async def main(agent, base):
    url = f"{base}/ws/agents/{agent}?mode=worker"
    headers = {"X-API-Key": os.environ["EMPIRE_API_KEY"]}
    async with websockets.connect(url, additional_headers=headers) as socket:
        hello = json.loads(await socket.recv())
        every = hello["heartbeat_timeout_ms"] / 3000
        print("registered as", hello)
        while True:
            try:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=every))
            except asyncio.TimeoutError:
                await socket.send(json.dumps({"type": "heartbeat"}))
                continue
            if frame["type"] != "task":
                continue
            reply = {"task_id": frame["task_id"], "attempt": frame["attempt"]}
            try:
                reply |= {"type": "result", "output": work(frame["kind"], frame["input"])}
            except Exception as error:  # the task fails; the server retries or ends it
                reply |= {"type": "failure", "error": str(error)}
            await socket.send(json.dumps(reply))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "ws://127.0.0.1:8080"))

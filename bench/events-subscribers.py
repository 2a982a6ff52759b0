#!/usr/bin/env python3
"""Holds N live-feed streams (GET /rest/v3/events) open against goto and reads them, as N browsers
would; a stream that goto closes is reopened after its retry delay, as EventSource does. Runs until
SIGTERM or SIGINT, then prints one JSON line: streams opened, reopened, events and bytes read.

  bench/events-subscribers.py PORT API_KEY N [READY_FILE]

READY_FILE is written once all N streams have their headers.
"""
import asyncio
import json
import signal
import sys

PORT, KEY, N = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
READY = sys.argv[4] if len(sys.argv) > 4 else None
stats = {"streams": N, "opened": 0, "reopened": 0, "failed": 0, "visit_events": 0, "link_events": 0, "bytes": 0}
REQUEST = ("GET /rest/v3/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
           "X-Api-Key: %s\r\n\r\n" % KEY).encode()


async def stream(ready):
    first = True
    while True:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
            writer.write(REQUEST)
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                stats["failed"] += 1
                writer.close()
                await asyncio.sleep(1)
                continue
            while (await reader.readline()) not in (b"\r\n", b""):
                pass
            stats["opened"] += 1
            if first:
                first = False
                ready.release()
            else:
                stats["reopened"] += 1
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                stats["bytes"] += len(data)
                stats["visit_events"] += data.count(b"event: visit")
                stats["link_events"] += data.count(b"event: link")
            writer.close()
        except (ConnectionError, OSError):
            stats["failed"] += 1
        await asyncio.sleep(3)  # the feed's retry


async def main():
    ready = asyncio.Semaphore(0)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = []
    for _ in range(N):
        tasks.append(asyncio.create_task(stream(ready)))
        await asyncio.sleep(0.002)  # do not flood the acceptor
    async def all_ready():
        for _ in range(N):
            await ready.acquire()
        if READY:
            open(READY, "w").write("ready\n")
    asyncio.create_task(all_ready())
    await stop.wait()
    for t in tasks:
        t.cancel()
    print(json.dumps(stats), flush=True)


asyncio.run(main())

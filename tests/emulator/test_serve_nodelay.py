"""The served emulator answers without Nagle's delay: asyncio turns TCP_NODELAY on only
for sockets made as TCP, and a response written in two parts (headers, then body) on
a Nagle socket waits for the client's delayed ACK, about 40 ms a request."""

from __future__ import annotations

import asyncio
import socket

from boardsmith.emulator.serve import bind_socket


async def test_accepted_connections_have_tcp_nodelay() -> None:
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = writer.get_extra_info("socket")
        seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(accepted, sock=sock)
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await asyncio.wait_for(seen, 5) != 0
        writer.close()
    finally:
        server.close()
        await server.wait_closed()

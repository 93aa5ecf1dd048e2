/* global process */
// @hocuspocus/server with its defaults, for the bench (plain JS so it runs on plain node, like
// @y/websocket-server's own bin). Only the port (0: a free one), the loopback address and the
// start banner are set; the bench reads the port from the one line printed on stdout.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true });
await server.listen();
process.stdout.write(`listening on ${server.address.port}\n`);

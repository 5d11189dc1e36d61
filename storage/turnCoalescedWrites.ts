/**
 * Sends a connection's commands of one turn of the event loop in one socket write: the first
 * write of a turn corks the socket, and the turn's end (setImmediate) uncorks it, so Node
 * hands the kernel every command of the turn in one writev. Commands keep their order and
 * ioredis keeps its own queue of replies: only the bytes wait, never longer than the turn.
 *
 * Our own, because ioredis's auto-pipelining, which gathers a turn's commands the same way,
 * hung bench:progress on a worker's connection. A worker's job actors each write their stage
 * events, claims and finishes on their own: written one by one, redis-server spent about
 * 185 µs of CPU per job outside the commands (reads, replies) in bench:pipeline; per turn, 36.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

function corkEachTurn(socket: Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = (...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write(...args);
  };
}

/** Every socket the client opens (a reconnect opens a new one) coalesces its writes per turn. */
export function coalesceWritesPerTurn(client: Redis): void {
  client.on('connect', () => corkEachTurn(client.stream));
}
